import { headerValue } from './headers';
import type { VerifyInput } from './types';

/** The URLs a URL-signing sender may have signed, and whether they are known or guessed from the Host header. */
export interface SignedUrls {
  urls: string[];
  known: boolean;
}

/**
 * The public URL when known; else the URL rebuilt from X-Forwarded-Host/-Proto or Host, with https then http when
 * the scheme is not forwarded. No URLs when there is no host to rebuild from.
 */
export function signedUrls(input: Pick<VerifyInput, 'headers' | 'url' | 'publicUrl'>): SignedUrls {
  if (input.publicUrl) return { urls: [input.publicUrl], known: true };
  const host = headerValue(input.headers, 'x-forwarded-host')?.split(',')[0].trim() || headerValue(input.headers, 'host')?.trim();
  if (!host) return { urls: [], known: false };
  const proto = headerValue(input.headers, 'x-forwarded-proto')?.split(',')[0].trim();
  const schemes = proto ? [proto] : ['https', 'http'];
  return { urls: schemes.map((s) => `${s}://${host}${input.url}`), known: false };
}

/** "the public URL https://…" or "the URL https://… (rebuilt from the Host header)", for signed-message descriptions. */
export function describeUrl(url: string, signed: SignedUrls): string {
  return signed.known ? `the public URL ${url}` : `the URL ${url} (rebuilt from the Host header)`;
}

/** What a failed URL-signing check should add: which URL was used and why it may not be the one the sender signed. */
export function signedUrlHint(name: string, signed: SignedUrls): string {
  return signed.known
    ? `${name} signs the public URL it sent the request to; this check used ${signed.urls[0]}, which differs if ${name} was given another URL.`
    : `${name} signs the public URL it sent the request to, which hooklens does not know (no public URL is configured); ` +
        'it tried the URL rebuilt from the Host header, which differs behind a proxy or tunnel.';
}
