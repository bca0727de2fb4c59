import fc from 'fast-check';
import { expect } from 'vitest';
import type { HeaderPair, SignatureStatus } from '../../shared/types';
import { verifySignatures } from '../../server/verify';
import type { VerifyInput } from '../../server/verify';

/** Every agreement run uses this seed, so a failure reproduces exactly (fast-check prints the path to shrink from). */
export const SEED = 20261204;
/** The clock both sides read: hooklens through VerifyInput.now, the libraries through a faked Date. */
export const NOW = 1_800_000_000_000;

/** One generated case, judged by hooklens and by the provider's official library. */
export interface Verdicts {
  ours: SignatureStatus | undefined;
  library: boolean;
  /**
   * Only where the library departs from the provider's published spec: what the spec says and why. hooklens
   * follows the spec there, and the run counts each reason.
   */
  spec?: { accepts: boolean; why: string };
}

export interface AgreementStats {
  cases: number;
  /** Cases the verdict (the spec's where it differs, else the library's) accepts. */
  accepted: number;
  deviations: Record<string, number>;
}

/**
 * Runs `numRuns` seeded cases and requires hooklens's status to be "verified" exactly when the library accepts
 * (or the spec, where it departs). Also requires both verdicts to be common, so that a verifier that always or never
 * verifies cannot pass.
 */
export async function assertAgreement<T>(
  arbitrary: fc.Arbitrary<T>,
  judge: (c: T) => Verdicts | Promise<Verdicts>,
  numRuns = 2000,
): Promise<AgreementStats> {
  const stats: AgreementStats = { cases: 0, accepted: 0, deviations: {} };
  await fc.assert(
    fc.asyncProperty(arbitrary, async (c) => {
      const v = await judge(c);
      const expected = v.spec ? v.spec.accepts : v.library;
      const agrees = (v.ours === 'verified') === expected;
      if (agrees) {
        stats.cases += 1;
        if (expected) stats.accepted += 1;
        if (v.spec) stats.deviations[v.spec.why] = (stats.deviations[v.spec.why] ?? 0) + 1;
      }
      const theirs = `the library ${v.library ? 'accepts' : 'rejects'}${v.spec ? `, the spec ${v.spec.accepts ? 'accepts' : 'rejects'} (${v.spec.why})` : ''}`;
      expect(agrees, `hooklens says ${v.ours}; ${theirs}`).toBe(true);
    }),
    { seed: SEED, numRuns },
  );
  expect(stats.cases).toBe(numRuns);
  expect(stats.accepted).toBeGreaterThan(numRuns * 0.1);
  expect(stats.cases - stats.accepted).toBeGreaterThan(numRuns * 0.1);
  if (process.env.AGREEMENT_REPORT) console.log(JSON.stringify({ test: expect.getState().currentTestName, ...stats }));
  return stats;
}

/** The status of the first check hooklens makes for this request (undefined when it makes none). */
export function oursFor(headers: HeaderPair[], body: string | Buffer, secrets: Record<string, string>, over: Partial<VerifyInput> = {}): SignatureStatus | undefined {
  const input: VerifyInput = {
    method: 'POST', url: '/b/bin/hook', headers, body: Buffer.from(body), bodyTruncated: false, secrets, now: NOW, publicUrl: null, ...over,
  };
  return verifySignatures(input)[0]?.status;
}

const JUNK = [' ', ',', '=', ';', 'A', 'f', 'F', '0', 'z', '+', '/', '\t', 'v1', '=='];

function replaceAt(text: string, i: number, s: string): string {
  const at = text.length === 0 ? 0 : i % text.length;
  return text.slice(0, at) + s + text.slice(at + 1);
}

function insertAt(text: string, i: number, s: string): string {
  const at = i % (text.length + 1);
  return text.slice(0, at) + s + text.slice(at);
}

/**
 * `text` as sent, or changed the ways a header gets mangled: a character replaced, truncated, its case changed,
 * whitespace inside, junk after it. Half the cases keep it intact.
 */
export function mangled(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(text) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(...JUNK)).map(([i, c]) => replaceAt(text, i, c)) },
    { weight: 1, arbitrary: fc.nat().map((i) => text.slice(0, i % (text.length + 1))) },
    { weight: 1, arbitrary: fc.constantFrom(text.toUpperCase(), text.toLowerCase()) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '\t')).map(([i, c]) => insertAt(text, i, c)) },
    { weight: 1, arbitrary: fc.constantFrom(...JUNK).map((j) => text + j) },
  );
}

/** True one time in `n`. */
export function oneIn(n: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 1, max: n }).map((x) => x === 1);
}

/** What a sender signs and what may have gone wrong on the way: another secret, a changed body, clock skew. */
export interface Delivery {
  body: string;
  secret: string;
  /** The secret the sender signed with: `secret`, or another one. */
  signedWith: string;
  /** The body that arrived: `body`, or one with a character changed. */
  received: string;
  /** Milliseconds between the signed time and NOW (positive: signed in the past). */
  ageMs: number;
}

const JSON_BODY = fc.json({ maxDepth: 2 });
const TEXT_BODY = fc.oneof(JSON_BODY, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }));

/**
 * Deliveries with UTF-8 text bodies (JSON, or any text unless `jsonOnly`), secrets from `secret`, and ages around
 * ±`toleranceSeconds`.
 */
export function deliveries(secret: fc.Arbitrary<string>, toleranceSeconds: number, jsonOnly = false): fc.Arbitrary<Delivery> {
  const edge = toleranceSeconds * 1000;
  return fc
    .record({
      body: jsonOnly ? JSON_BODY : TEXT_BODY,
      secret,
      other: secret,
      wrongSecret: oneIn(6),
      tamper: oneIn(6),
      ageMs: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: -5_000, max: 5_000 }) },
        { weight: 2, arbitrary: fc.integer({ min: -edge - 3_000, max: edge + 3_000 }) },
      ),
    })
    .map(({ body, secret: s, other, wrongSecret, tamper, ageMs }) => ({
      body,
      secret: s,
      signedWith: wrongSecret && other !== s ? other : s,
      received: tamper ? `${body} ` : body,
      ageMs,
    }));
}
