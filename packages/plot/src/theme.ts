/** Colours, fonts and sizes every figure shares (options may override the colours). */
export interface Theme {
  font: string;
  text: string;
  muted: string;
  grid: string;
  background: string;
  /** Series colours: AST, full training, random control, sample-by-sample, extra runs… */
  series: readonly string[];
  ast: string;
  full: string;
  sample: string;
  target: string;
  skipped: string;
  highlight: string;
}

/** A colour-blind-safe palette (Okabe–Ito) on white. */
export const defaultTheme: Theme = {
  font: 'DejaVu Sans',
  text: '#1a1a1a',
  muted: '#666666',
  grid: '#e6e6e6',
  background: '#ffffff',
  series: ['#009E73', '#0072B2', '#E69F00', '#CC79A7', '#56B4E9', '#D55E00', '#000000'],
  ast: '#009E73',
  full: '#0072B2',
  sample: '#D55E00',
  target: '#E69F00',
  skipped: '#cfe8dc',
  highlight: '#fff3c4',
};

/** Options every figure takes. */
export interface FigureOptions {
  width?: number;
  height?: number;
  title?: string;
  theme?: Partial<Theme>;
}

/** The theme with the user's overrides. */
export const themeOf = (options: FigureOptions): Theme => ({ ...defaultTheme, ...options.theme });
