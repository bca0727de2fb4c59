/**
 * Light or dark: the system's preference (`prefers-color-scheme`, in styles/base.css) unless the person chose one.
 * A choice is written to `data-theme` on <html>, which base.css reads, and remembered in localStorage; "system"
 * removes both.
 */
import { useCallback, useState } from 'react';

/** What the toggle offers. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'hooklens.theme';

/** The remembered choice; "system" when none was made, or storage cannot be read (a private window, a policy). */
export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Shows `choice` (sets or removes `data-theme`); does not remember it. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

function remember(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
  } catch {
    // Not remembered where storage is refused: the choice still holds until the page is reloaded.
  }
}

/** The current choice and a setter that shows and remembers a new one. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState(storedTheme);
  const choose = useCallback((next: ThemeChoice) => {
    applyTheme(next);
    remember(next);
    setChoice(next);
  }, []);
  return [choice, choose];
}
