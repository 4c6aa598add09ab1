import { describe, expect, it } from 'vitest';
import { BOM, csvField, csvFileName, csvText } from '../src/csv';

describe('CSV for Excel', () => {
  it('quotes as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvField('1700000.00')).toBe('1700000.00');
  });
  it('starts with the byte order mark and ends every line with CRLF', () => {
    const text = csvText(['a', 'b'], [[1, 'x,y'], ['', null]]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toBe(`${BOM}a,b\r\n1,"x,y"\r\n,\r\n`);
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
  it('writes a field a spreadsheet would run as text', () => {
    expect(csvField('=HYPERLINK("http://x.example","click")')).toBe(`"'=HYPERLINK(""http://x.example"",""click"")"`);
    expect(csvField('+86 177 7212 3456')).toBe("'+86 177 7212 3456");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('a=1')).toBe('a=1');
    expect(csvField("'quoted")).toBe("'quoted");
  });
  it('keeps Chinese as it is', () => {
    const text = csvText(['案件编号', '户名', '原因'], [['C000001', '陈红', '受害人报案，资金查控'], ['C000002', '张“某”', '冻结,续期']]);
    expect(text).toBe(`${BOM}案件编号,户名,原因\r\nC000001,陈红,受害人报案，资金查控\r\nC000002,张“某”,"冻结,续期"\r\n`);
    const bytes = new TextEncoder().encode(text);
    expect(new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes)).toBe(text.slice(1));
  });
  it('names the file by what it holds and the day in China', () => {
    expect(csvFileName('orders', new Date(Date.UTC(2026, 2, 1, 16, 30)))).toBe('orders-2026-03-02.csv');
  });
});
