/** maskSecret: how every secret is shown. */
import type { MaskedSecret } from '../types';
import { sha256Hex } from './sha256';

const HIDDEN = '•';

/** How many characters to show at each end: a short secret shown by its ends would be mostly revealed. */
function visiblePerSide(length: number): number {
  if (length >= 16) return 4;
  if (length >= 12) return 2;
  if (length >= 8) return 1;
  return 0;
}

/**
 * The masked form of a secret: its first and last 4 characters (2 under 16 characters, 1 under 12, none
 * under 8) with every other character replaced by "•". `length` counts code points, as a person would;
 * `sha256` is the hex SHA-256 of the UTF-8 value, or of `rawBytes` when given (a secret that was not UTF-8).
 * Never throws.
 */
export function maskSecret(value: string, rawBytes?: Uint8Array): MaskedSecret {
  const characters = Array.from(String(value));
  const shown = visiblePerSide(characters.length);
  const masked =
    characters.slice(0, shown).join('') +
    HIDDEN.repeat(characters.length - 2 * shown) +
    (shown ? characters.slice(-shown).join('') : '');
  return { masked, length: characters.length, sha256: sha256Hex(rawBytes ?? String(value)) };
}
