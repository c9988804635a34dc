/**
 * CSV in and out (RFC 4180), for every export and import (event log, session report, ledger,
 * reports). Exports are UTF-8 with a byte-order mark so spreadsheet programs read
 * Cyrillic and Chinese names correctly; text cells that a spreadsheet would run as a formula get a
 * leading apostrophe. The parser is a small state machine over characters (quoted fields may hold
 * commas, quotes and line breaks).
 */
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** A cell: numbers and amounts as they are, text quoted when needed and defused against formulas. */
export function csvCell(value: string | number | null | undefined, kind: 'text' | 'number' = 'text'): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (kind === 'text' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly string[]): string => `${cells.join(',')}\r\n`;

export class CsvParseError extends Error {
  readonly code = 'csv.unterminated_quote';
  constructor(readonly line: number) {
    super(`a quoted field opened on line ${line} is never closed`);
    this.name = 'CsvParseError';
  }
}

/** Records with the line each starts on (1-based, counting the header). A leading BOM is skipped. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const src = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let state: 'start' | 'plain' | 'quoted' | 'quote_in_quoted' = 'start';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '')) out.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (state === 'quoted') {
      if (ch === '"') state = 'quote_in_quoted';
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (state === 'quote_in_quoted' && ch === '"') {
      cell += '"';
      state = 'quoted';
      continue;
    }
    // start, plain, or just after a closing quote
    if (ch === '"' && state === 'start') {
      state = 'quoted';
      quoteLine = line;
    } else if (ch === ',') {
      endCell();
      state = 'start';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
      state = 'start';
    } else {
      cell += ch;
      state = 'plain';
    }
  }
  if (state === 'quoted') throw new CsvParseError(quoteLine);
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}

/**
 * A streamed CSV body: the BOM and header, then each batch as `batches` yields it, one batch per
 * read, so a slow client holds back the database instead of filling memory. A failing batch ends
 * the body with an error (reported to `onError`).
 */
export function csvStream<T>(
  header: readonly string[],
  batches: AsyncIterable<readonly T[]>,
  row: (r: T) => string,
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = batches[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvLine(header.map((h) => csvCell(h)))));
        return;
      }
      try {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(row).join('')));
      } catch (error) {
        onError?.(error);
        controller.error(error);
      }
    },
    async cancel() {
      await it.return?.();
    },
  });
}
