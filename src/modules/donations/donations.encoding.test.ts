import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding } from './donations.encoding.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Japanese text CP932 can encode: kana, common kanji, full-width forms, ASCII. */
const japanese = fc.string({
  unit: fc.constantFrom(
    ...'山形花子太郎寄附金額氏名フリガナやまがたはなこ住所電話番号１２３ＡＢＣ－，。「」ｱｲｳｴｵ abc,0123\r\n"',
  ),
  minLength: 1,
  maxLength: 400,
});
const withJapanese = japanese.filter((s) => /[^\x00-\x7f]/.test(s));

describe('detectEncoding', () => {
  it('recognizes UTF-8 with BOM, UTF-8 and CP932 of the same text', () => {
    const text = '寄附者氏名,寄附日,寄附金額\r\n山形 花子,令和6年4月1日,"10,000"\r\n';
    expect(detectEncoding(Buffer.concat([BOM, Buffer.from(text)]))).toEqual({ ok: true, encoding: 'utf-8-bom' });
    expect(detectEncoding(Buffer.from(text))).toEqual({ ok: true, encoding: 'utf-8' });
    expect(detectEncoding(iconv.encode(text, 'cp932'))).toEqual({ ok: true, encoding: 'cp932' });
  });

  it('reads pure ASCII as UTF-8 (the two agree on it)', () => {
    expect(detectEncoding(Buffer.from('name,date,amount\r\nA,2024/4/1,100\r\n'))).toEqual({
      ok: true,
      encoding: 'utf-8',
    });
  });

  it('tells UTF-8 from CP932 for any Japanese text, however the bytes are chunked', () => {
    fc.assert(
      fc.property(withJapanese, fc.integer({ min: 1, max: 64 }), (text, chunk) => {
        expect(detectEncoding(Buffer.from(text, 'utf8'), chunk)).toEqual({ ok: true, encoding: 'utf-8' });
        expect(detectEncoding(Buffer.concat([BOM, Buffer.from(text, 'utf8')]), chunk)).toEqual({
          ok: true,
          encoding: 'utf-8-bom',
        });
        expect(detectEncoding(iconv.encode(text, 'cp932'), chunk)).toEqual({ ok: true, encoding: 'cp932' });
      }),
    );
  });

  it('never answers an encoding the bytes do not decode in (random bytes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const verdict = detectEncoding(bytes);
        if (!verdict.ok) return;
        if (verdict.encoding === 'cp932') {
          expect(iconv.decode(Buffer.from(bytes), 'cp932')).not.toMatch(/[\uFFFD\u0080-\u009F]/);
        } else {
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
        }
        expect(bytes.includes(0)).toBe(false);
      }),
    );
  });

  it('refuses UTF-16, binary files and text that is neither, with a line number', () => {
    expect(detectEncoding(Buffer.from('\ufeffname,date\r\n', 'utf16le'))).toMatchObject({
      ok: false,
      problem: 'encoding_utf16',
    });
    expect(detectEncoding(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toMatchObject({
      ok: false,
      problem: 'encoding_binary',
    });
    // A UTF-8 file with a CP932 line pasted into it: valid as neither.
    const mixed = Buffer.concat([
      Buffer.from('氏名,金額\r\n山形,100\r\n'),
      iconv.encode('最上,200\r\n', 'cp932'),
      Buffer.from('庄内,300\r\n'),
    ]);
    expect(detectEncoding(mixed)).toEqual({ ok: false, problem: 'encoding_unknown', params: { line: 3 } });
    // A BOM promises UTF-8: CP932 bytes after it are refused rather than guessed.
    expect(detectEncoding(Buffer.concat([BOM, iconv.encode('氏名\r\n山形\r\n', 'cp932')]))).toMatchObject({
      ok: false,
      problem: 'encoding_unknown',
    });
    // Latin-1 / Windows-1252 text is neither.
    expect(
      detectEncoding(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0xff, 0x0a])),
    ).toMatchObject({ ok: false, problem: 'encoding_unknown' });
  });
});
