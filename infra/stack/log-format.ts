/**
 * Turns the pino JSON lines our services write into one readable line per event, prefixed with the
 * component name, for the one-command stack. Lines that are not pino JSON pass through unchanged.
 */

const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLOURS: Readonly<Record<string, string>> = {
  WARN: '\x1b[33m',
  ERROR: '\x1b[31m',
  FATAL: '\x1b[31m',
  DEBUG: '\x1b[90m',
  TRACE: '\x1b[90m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Fields every pino line has, or that the prefix already shows. */
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);

export interface FormatOptions {
  colour: boolean;
  /** Width the component column is padded to. */
  width: number;
}

export function formatLogLine(component: string, line: string, options: FormatOptions): string {
  const parsed = parsePino(line);
  const name = component.padEnd(options.width);
  const prefix = options.colour ? `${DIM}${name}${RESET}` : name;
  if (!parsed) return `${prefix} ${line}`;

  const level = LEVELS[parsed.level] ?? String(parsed.level);
  const time = formatTime(parsed.time);
  const fields = Object.entries(parsed.rest)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  const levelText = level.padEnd(5);
  const colouredLevel =
    options.colour && COLOURS[level] ? `${COLOURS[level]}${levelText}${RESET}` : levelText;
  return `${time} ${prefix} ${colouredLevel} ${parsed.msg}${fields ? ` ${options.colour ? DIM : ''}${fields}${options.colour ? RESET : ''}` : ''}`;
}

interface PinoLine {
  level: number;
  time: number | string | undefined;
  msg: string;
  rest: Record<string, unknown>;
}

function parsePino(line: string): PinoLine | null {
  if (!line.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record['level'] !== 'number') return null;
  const time = record['time'];
  return {
    level: record['level'],
    time: typeof time === 'number' || typeof time === 'string' ? time : undefined,
    msg: typeof record['msg'] === 'string' ? record['msg'] : '',
    rest: record,
  };
}

function formatTime(time: number | string | undefined): string {
  const date = time === undefined ? new Date() : new Date(time);
  return Number.isNaN(date.getTime()) ? '--:--:--.---' : date.toISOString().slice(11, 23);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Object && 'message' in value && 'stack' in value) return JSON.stringify(value.message);
  return JSON.stringify(value);
}

/**
 * Whether a line is worth a person's attention on the terminal. Infrastructure daemons are chatty at
 * start (initdb, the JetStream banner, Vite's asset table); their full output still goes to the log
 * files, the terminal shows only their warnings and errors. Our own services log only events.
 */
const NOTEWORTHY: Readonly<Record<string, RegExp>> = {
  postgres: /\b(WARNING|ERROR|FATAL|PANIC)\b/,
  nats: /\[(WRN|ERR|FTL)\]/,
  'web-build': /error|warning|✓ built/i,
};

export function isNoteworthy(component: string, line: string): boolean {
  const pattern = NOTEWORTHY[component];
  return pattern ? pattern.test(line) : line.trim().length > 0;
}
