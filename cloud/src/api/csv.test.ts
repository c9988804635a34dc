import { describe, expect, it } from 'vitest';
import { CsvParseError, csvCell, csvLine, parseCsv } from './csv.js';

describe('csv', () => {
  it('quotes cells that need it and defuses formulas in text cells only', () => {
    expect(
      csvLine([
        csvCell('a,b'),
        csvCell('say "hi"'),
        csvCell('=SUM(A1)'),
        csvCell('-5.0000', 'number'),
        csvCell(null),
      ]),
    ).toBe('"a,b","say ""hi""",\'=SUM(A1),-5.0000,\r\n');
  });

  it('reads back what it writes, with line numbers, a BOM, CRLF and quoted line breaks', () => {
    const text = '\uFEFFa,b\r\n"x\ny","Анна, 王"\r\n\r\nlast,1';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x\ny', 'Анна, 王'] },
      { line: 5, cells: ['last', '1'] },
    ]);
  });

  it('names the line of a quote that never closes', () => {
    expect(() => parseCsv('a\n"open,1\n2')).toThrow(CsvParseError);
  });
});
