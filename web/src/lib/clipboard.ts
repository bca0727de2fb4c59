/** Copying text for the copy buttons. */

/**
 * Puts `text` on the clipboard. Resolves true on success, false when the browser refused (no permission, or not a
 * secure context); never throws.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
