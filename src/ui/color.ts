// Colour decisions and a tiny ANSI palette for the status table and the terminal view.
// Plain and JSON modes never use it. May import: nothing.

export interface ColorInput {
  /** The stream is a terminal. */
  readonly isTTY: boolean;
  /** --no-color was given (yargs: color === false). */
  readonly noColorFlag?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Colour only on a terminal, never with --no-color or NO_COLOR (any non-empty value), nor TERM=dumb. */
export function colorEnabled(input: ColorInput): boolean {
  if (input.noColorFlag) return false;
  const noColor = input.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (input.env['TERM'] === 'dumb') return false;
  return input.isTTY;
}

export const Tone = {
  Good: 'good',
  Warn: 'warn',
  Bad: 'bad',
  Info: 'info',
  Dim: 'dim',
  Bold: 'bold',
  None: 'none',
} as const;
export type Tone = (typeof Tone)[keyof typeof Tone];

const CODES: Record<Tone, readonly [number, number] | undefined> = {
  good: [32, 39],
  warn: [33, 39],
  bad: [31, 39],
  info: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
  none: undefined,
};

export type Paint = (tone: Tone, text: string) => string;

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_tone, text) => text;
  return (tone, text) => {
    const c = CODES[tone];
    return c && text ? `\u001b[${c[0]}m${text}\u001b[${c[1]}m` : text;
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a cell: ANSI colour codes take no room. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}
