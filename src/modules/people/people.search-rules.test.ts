import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  comparePositions,
  decodeCursor,
  effectiveOrder,
  encodeCursor,
  linkFilterKey,
  linkKeysOf,
  PEOPLE_ORDERS,
  positionOf,
  prefixRange,
  startsWithPrefix,
  type PagePosition,
} from './people.search-rules.js';

/** Text as people's keys hold it: kana, kanji, ASCII, and now and then a character beyond the BMP. */
const keyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('や', 'ま', 'だ', 'は', 'な', 'こ', '山', '田', 'a', '0', '.', '@'),
    fc.constantFrom('𠮷', '\uffff', '\ud7ff', '\ue000', String.fromCodePoint(0x10ffff)),
  ),
  maxLength: 6,
});

describe('kana order and prefixes', () => {
  it('compares as the "C" collation does: by the UTF-8 bytes', () => {
    fc.assert(
      fc.property(keyText, keyText, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });

  it('a prefix range holds exactly the strings starting with the prefix', () => {
    fc.assert(
      fc.property(keyText, keyText, (prefix, s) => {
        const range = prefixRange(prefix);
        expect(startsWithPrefix(s, range)).toBe(s.startsWith(prefix));
        expect(startsWithPrefix(prefix + s, range)).toBe(true);
      }),
    );
  });

  it('a search orders by relevance, a plain list newest first; relevance without a search is kana order', () => {
    expect(effectiveOrder(undefined, true)).toBe('relevance');
    expect(effectiveOrder(undefined, false)).toBe('newest');
    expect(effectiveOrder('relevance', false)).toBe('kana');
    for (const order of PEOPLE_ORDERS.filter((o) => o !== 'relevance')) expect(effectiveOrder(order, true)).toBe(order);
  });
});

const row = fc.record({
  id: fc.uuid(),
  sortKey: keyText,
  nameKey: keyText,
  emailKey: fc.option(keyText, { nil: null }),
  phoneKey: fc.option(keyText, { nil: null }),
  createdAt: fc
    .tuple(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), fc.integer({ min: 0, max: 999 }))
    .map(([ms, micros]) => `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`),
});

describe('page positions', () => {
  it('relevance: the first key starting with the search decides the tier; the rest is tier 4 in kana order', () => {
    const base = { id: '00000000-0000-4000-8000-000000000000', createdAt: '2026-04-01T00:00:00.000000Z' };
    const range = prefixRange('やま');
    const reading = { ...base, sortKey: 'やまだ', nameKey: '山田', emailKey: 'yamada@example.jp', phoneKey: null };
    expect(positionOf('relevance', reading, range)).toMatchObject({ tier: 0, key: 'やまだ' });
    const name = { ...base, sortKey: 'さとう', nameKey: 'やまねこ', emailKey: null, phoneKey: null };
    expect(positionOf('relevance', name, range)).toMatchObject({ tier: 1, key: 'やまねこ' });
    const email = { ...base, sortKey: 'たなか', nameKey: '田中', emailKey: 'やまx@example.jp', phoneKey: null };
    expect(positionOf('relevance', email, range)).toMatchObject({ tier: 2 });
    const inside = { ...base, sortKey: 'なかやま', nameKey: '中山', emailKey: null, phoneKey: '09012345678' };
    expect(positionOf('relevance', inside, range)).toMatchObject({ tier: 4, key: 'なかやま' });
    const phone = { ...inside, sortKey: 'なかやま' };
    expect(positionOf('relevance', phone, prefixRange('0901'))).toMatchObject({ tier: 3, key: '09012345678' });
  });

  it('order people totally: antisymmetric and consistent with sorting', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PEOPLE_ORDERS), fc.array(row, { maxLength: 30 }), keyText, (order, rows, q) => {
        const prefix = q ? prefixRange(q) : null;
        const positions = rows.map((r) => positionOf(order, r, prefix));
        for (const a of positions)
          for (const b of positions)
            expect(Math.sign(comparePositions(a, b)) + Math.sign(comparePositions(b, a))).toBe(0);
        const sorted = [...positions].sort(comparePositions);
        for (let i = 1; i < sorted.length; i++)
          expect(comparePositions(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('newest is oldest reversed, to the microsecond', () => {
    fc.assert(
      fc.property(row, row, (a, b) => {
        const newest = comparePositions(positionOf('newest', a, null), positionOf('newest', b, null));
        const oldest = comparePositions(positionOf('oldest', a, null), positionOf('oldest', b, null));
        expect(Math.sign(newest) + Math.sign(oldest)).toBe(0);
      }),
    );
  });

  it('a cursor gives back its position, and only to its own order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PEOPLE_ORDERS), row, keyText, (order, r, q) => {
        const position = positionOf(order, r, q ? prefixRange(q) : null);
        const token = encodeCursor(position);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(token, order)).toEqual(position);
        for (const other of PEOPLE_ORDERS.filter((o) => o !== order)) expect(decodeCursor(token, other)).toBeNull();
      }),
    );
  });

  it('refuses what is not a cursor', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...PEOPLE_ORDERS), (token, order) => {
        const decoded = decodeCursor(token, order);
        if (decoded) expect(encodeCursor(decoded as PagePosition)).toBeTypeOf('string');
      }),
    );
    expect(decodeCursor('not-a-cursor', 'kana')).toBeNull();
    expect(decodeCursor(Buffer.from('["kana","x","not-a-uuid"]').toString('base64url'), 'kana')).toBeNull();
  });
});

describe('link keys', () => {
  const link = fc.record({
    municipalityCode: fc.constantFrom('062014', '062031', '063410'),
    kind: fc.constantFrom('roots', 'interest', 'supporter', 'moved_in'),
  });
  it('hold a filter key exactly when some link meets the filter', () => {
    fc.assert(
      fc.property(
        fc.array(link, { maxLength: 5 }),
        fc.option(fc.constantFrom('062014', '063410'), { nil: undefined }),
        fc.option(fc.constantFrom('roots', 'supporter'), { nil: undefined }),
        (links, municipality, kind) => {
          const key = linkFilterKey({ municipality, kind });
          const keys = linkKeysOf(links);
          // No filter: everyone passes; else some link must meet both parts of it.
          const expected =
            key === undefined ||
            links.some((l) => (!municipality || l.municipalityCode === municipality) && (!kind || l.kind === kind));
          expect(key === undefined || keys.includes(key)).toBe(expected);
        },
      ),
    );
  });
  it('are distinct and in code point order whatever the order of the links', () => {
    fc.assert(
      fc.property(fc.array(link, { maxLength: 6 }), (links) => {
        const keys = linkKeysOf(links);
        expect(new Set(keys).size).toBe(keys.length);
        expect([...keys].sort(compareCodePoints)).toEqual(keys);
        expect(linkKeysOf([...links].reverse())).toEqual(keys);
      }),
    );
  });
});
