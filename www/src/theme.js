// Which theme the page wears: the link's choice, else the visitor's system setting.

/** 'light' or 'dark' for a state's `theme` (null = follow the system). */
export function currentTheme(theme, win = globalThis) {
  return theme || (win.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}
