/**
 * Signature messages carry what was computed and compared: digests in hex or base64, 40 to 100 characters each. Shown
 * whole they drown the verdict, so the list shows each digest's start and keeps the whole message in a details row.
 */

/** Hex of 32+ characters, or base64/base64url of 24+ with at least one digit and one letter (not a long word). */
const DIGEST = /(?<![A-Za-z0-9+/_-])(?:[0-9a-fA-F]{32,}|(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{24,}={0,2})(?![A-Za-z0-9+/_-])/g;

/** The message with each digest cut to its first 10 characters and "…", and the digests found, in order. */
export function abbreviateDigests(message: string): { short: string; digests: string[] } {
  const digests: string[] = [];
  const short = message.replace(DIGEST, (digest) => {
    digests.push(digest);
    return `${digest.slice(0, 10)}…`;
  });
  return { short, digests };
}
