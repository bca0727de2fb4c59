/**
 * A bin's response setting (contract.md "Bin response") for people: the presets the viewer offers, the free form's
 * header lines, and how a setting reads.
 */
import type { BinResponse, HeaderPair } from '../../../../shared/types';

/** What the capture URL answers when nothing is set; `{id}` stands for the request id. */
export const DEFAULT_ANSWER = '200 {"ok":true,"id":…}';

/** The longest delay the server takes (delayMs 0–30000). */
export const MAX_DELAY_MS = 30_000;

/** A one-click setting: its button's label and title, and the response it saves. */
export interface ResponsePreset {
  id: string;
  label: string;
  title: string;
  response: BinResponse;
}

const JSON_TYPE: HeaderPair = ['Content-Type', 'application/json'];

/** `{"error":"…","id":<id>}`: an error body a sender can log, with the request id to find it here. */
function errorBody(message: string): string {
  return `{"error":${JSON.stringify(message)},"id":{id}}`;
}

/** The presets, in the order of their buttons. */
export const RESPONSE_PRESETS: readonly ResponsePreset[] = [
  {
    id: '401-basic',
    label: '401 Basic',
    title: 'Refuse the credentials: 401 with WWW-Authenticate: Basic realm="hooklens"',
    response: { status: 401, headers: [['WWW-Authenticate', 'Basic realm="hooklens"'], JSON_TYPE], body: errorBody('unauthorized'), delayMs: 0 },
  },
  {
    id: '401-bearer',
    label: '401 Bearer',
    title: 'Refuse the token: 401 with WWW-Authenticate: Bearer realm="hooklens"',
    response: { status: 401, headers: [['WWW-Authenticate', 'Bearer realm="hooklens"'], JSON_TYPE], body: errorBody('unauthorized'), delayMs: 0 },
  },
  {
    id: '429',
    label: '429',
    title: 'Too many requests, with Retry-After: 30 (see how the sender backs off)',
    response: { status: 429, headers: [['Retry-After', '30'], JSON_TYPE], body: errorBody('too many requests'), delayMs: 0 },
  },
  {
    id: '500',
    label: '500',
    title: 'A server error (most senders retry)',
    response: { status: 500, headers: [JSON_TYPE], body: errorBody('internal server error'), delayMs: 0 },
  },
  {
    id: '503',
    label: '503',
    title: 'Unavailable, with Retry-After: 30',
    response: { status: 503, headers: [['Retry-After', '30'], JSON_TYPE], body: errorBody('service unavailable'), delayMs: 0 },
  },
  {
    id: 'slow',
    label: 'Slow (30 s)',
    title: "The default answer after 30 s, the longest delay hooklens waits: past Zendesk's 10 s timeout and most senders'",
    response: { status: 200, headers: [], delayMs: MAX_DELAY_MS },
  },
  {
    id: '204',
    label: '204',
    title: 'No content: a success without a body',
    response: { status: 204, headers: [], delayMs: 0 },
  },
];

/** The preset a setting is, or null: compared field by field, so a setting saved from the form counts too. */
export function presetOf(response: BinResponse | null): ResponsePreset | null {
  if (response === null) return null;
  const key = JSON.stringify(normalised(response));
  return RESPONSE_PRESETS.find((preset) => JSON.stringify(normalised(preset.response)) === key) ?? null;
}

function normalised(response: BinResponse): unknown {
  return [response.status, response.headers, response.body ?? null, response.delayMs];
}

/** Header lines as the free form shows them: `Name: value`, one a line, in order. */
export function formatHeaderLines(headers: readonly HeaderPair[]): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}

/**
 * Reads the free form's header lines: `Name: value`, one a line, split at the first colon, the value trimmed; blank
 * lines are skipped. Only the shape is checked here (a line without a colon); the server judges names and values and
 * says which one it refuses. Throws an Error naming the line.
 */
export function parseHeaderLines(text: string): HeaderPair[] {
  const headers: HeaderPair[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    if (colon === -1) throw new Error(`Header line ${index + 1} has no colon: write each header as Name: value.`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  });
  return headers;
}

/** "30 s", "1.5 s", "250 ms". */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** One line for the toolbar and the panel's title: "default", "401", "200 after 30 s". */
export function shortSetting(response: BinResponse | null): string {
  if (response === null) return 'default';
  return response.delayMs > 0 ? `${response.status} after ${formatDelay(response.delayMs)}` : String(response.status);
}
