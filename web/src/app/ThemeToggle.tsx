import { useTheme } from './theme';
import type { ThemeChoice } from './theme';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** One button that goes system → light → dark → system; its title says what it shows now. */
export function ThemeToggle() {
  const [choice, choose] = useTheme();
  return (
    <button
      type="button"
      className="button small icon-button"
      onClick={() => choose(NEXT[choice])}
      title={`${LABEL[choice]} (click for ${NEXT[choice]})`}
      aria-label={LABEL[choice]}
      data-testid="theme-toggle"
      data-theme-choice={choice}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
      <span className="theme-word">{choice}</span>
    </button>
  );
}
