import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord } from './csv-cell';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "x"', '"say ""x"""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
  ])('quotes per RFC 4180: %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@A1', "'@A1"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=A1,"x"', `"'=A1,""x"""`],
  ])('prefixes a quote to a formula-like cell: %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('ends every record with CRLF', () => {
    expect(csvRecord(['a', 'b,c', '=d'])).toBe('a,"b,c",\'=d\r\n');
  });
});
