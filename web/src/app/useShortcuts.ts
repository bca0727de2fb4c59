/**
 * Single-key shortcuts for the whole page, kept away from typing: a key pressed in an input, a textarea, a select or
 * anything editable, or with Ctrl, Alt or Meta held, is left alone (Shift is allowed, it makes `?`).
 */
import { useEffect, useRef } from 'react';

/** Handlers by `KeyboardEvent.key` (`'j'`, `'ArrowDown'`, `'/'`, `'?'`…). */
export type ShortcutMap = Partial<Record<string, () => void>>;

/** Whether a key event comes from somewhere a person types (where a letter is text, not a command). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * Calls `shortcuts[event.key]` on keydown anywhere in the page, except while typing, with a modifier, or while a
 * modal dialog is open (its own keys are its own); the key's default (scrolling, typing `/`) is prevented when a
 * handler runs. The latest `shortcuts` are used without re-registering the listener.
 */
export function useShortcuts(shortcuts: ShortcutMap): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]') !== null) return;
      const handler = latest.current[event.key];
      if (handler === undefined) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
