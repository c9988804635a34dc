/**
 * Chart colours come from the app's CSS variables (base.css), so a chart follows the light/dark
 * theme like the rest of the page. Canvas cannot read `var(--x)` itself: the values are resolved here.
 */
export interface ChartTheme {
  text: string;
  textMuted: string;
  border: string;
  surface: string;
  accent: string;
}

/** The light theme's values, used where no stylesheet is loaded (tests, a detached element). */
export const FALLBACK_THEME: ChartTheme = {
  text: '#111827',
  textMuted: '#5b6575',
  border: '#d8dee7',
  surface: '#ffffff',
  accent: '#0f6fd1',
};

const VARIABLES: Record<keyof ChartTheme, string> = {
  text: '--text',
  textMuted: '--text-muted',
  border: '--border',
  surface: '--surface',
  accent: '--accent',
};

export function readChartTheme(style: Pick<CSSStyleDeclaration, 'getPropertyValue'>): ChartTheme {
  const theme = { ...FALLBACK_THEME };
  for (const key of Object.keys(VARIABLES) as (keyof ChartTheme)[]) {
    const value = style.getPropertyValue(VARIABLES[key]).trim();
    if (value !== '') theme[key] = value;
  }
  return theme;
}
