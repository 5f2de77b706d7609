// The look of this station's screen, kept in this browser: the usual light one, a dark one for dim
// packing areas, and a high-contrast one (black, white and the band colours only).
import { useEffect, useState } from 'preact/hooks';

export const THEMES = [
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
  { id: 'contrast', label: 'High contrast' },
] as const;
export type ThemeId = (typeof THEMES)[number]['id'];

const KEY = 'packdesk.theme';

export function currentTheme(): ThemeId {
  const saved = localStorage.getItem(KEY);
  return THEMES.find((t) => t.id === saved)?.id ?? 'light';
}

export function applyTheme(theme: ThemeId): void {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): [ThemeId, (t: ThemeId) => void] {
  const [theme, setTheme] = useState(currentTheme());
  useEffect(() => applyTheme(theme), [theme]);
  return [
    theme,
    (t) => {
      localStorage.setItem(KEY, t);
      setTheme(t);
    },
  ];
}
