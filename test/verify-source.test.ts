import { describe, expect, it } from 'vitest';
import { recognizeSource } from '../server/verify';

describe('recognizeSource', () => {
  it('answers null when nothing is recognised', () => {
    expect(recognizeSource([['Content-Type', 'application/json'], ['User-Agent', 'curl/8.5.0']], [])).toBeNull();
  });

  it('prefers the headers, and falls back to the provider of a signature check', () => {
    expect(recognizeSource([['X-Custom', '1']], [{ provider: 'linear', header: 'Linear-Signature', status: 'no-secret', message: '' }])).toEqual({ provider: 'linear' });
  });

  it('finds header names whatever their case', () => {
    expect(recognizeSource([['x-github-event', 'ping']], [])).toEqual({ provider: 'github', details: { event: 'ping' } });
  });

  it('recognises GitLab with its event', () => {
    expect(recognizeSource([['X-Gitlab-Event', 'Push Hook'], ['X-Gitlab-Token', 'secret']], [])).toEqual({ provider: 'gitlab', details: { event: 'Push Hook' } });
  });

  it('recognises Jira and Intercom from their User-Agent', () => {
    expect(recognizeSource([['User-Agent', 'Atlassian Webhook HTTP Client']], [])?.provider).toBe('jira');
    expect(recognizeSource([['User-Agent', 'intercom-parrot-service-client/1.0']], [])?.provider).toBe('intercom');
  });
});
