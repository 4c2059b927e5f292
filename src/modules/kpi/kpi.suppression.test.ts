import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CountTable,
  type SuppressedTable,
  type SuppressedValue,
  shownValue,
  suppressCounts,
  withTotals,
} from './kpi.suppression.js';

/** Every published value of a table in one list, with where it is. */
type Slot =
  | { kind: 'cell'; i: number; j: number }
  | { kind: 'row'; i: number }
  | { kind: 'col'; j: number }
  | { kind: 'grand' };

function slots(t: SuppressedTable): Array<{ slot: Slot; v: SuppressedValue }> {
  const out: Array<{ slot: Slot; v: SuppressedValue }> = [];
  for (const [i, row] of t.cells.entries())
    for (const [j, v] of row.entries()) out.push({ slot: { kind: 'cell', i, j }, v });
  for (const [i, v] of (t.rowTotals ?? []).entries()) out.push({ slot: { kind: 'row', i }, v });
  for (const [j, v] of (t.columnTotals ?? []).entries()) out.push({ slot: { kind: 'col', j }, v });
  if (t.grandTotal) out.push({ slot: { kind: 'grand' }, v: t.grandTotal });
  return out;
}

/**
 * The linear equations a reader of the published table has, written out independently of the
 * implementation: each row adds up to its total, each column to its total, the totals to the
 * grand total. Coefficients over the list of `slots`.
 */
function equations(t: SuppressedTable): number[][] {
  const list = slots(t);
  const at = (pred: (s: Slot) => boolean) => list.map(({ slot }) => (pred(slot) ? 1 : 0));
  const eqs: number[][] = [];
  const rows = t.cells.length;
  const cols = t.cells[0]!.length;
  const minus = (a: number[], b: number[]) => a.map((x, k) => x - b[k]!);
  if (t.rowTotals)
    for (let i = 0; i < rows; i++)
      eqs.push(
        minus(
          at((s) => s.kind === 'cell' && s.i === i),
          at((s) => s.kind === 'row' && s.i === i),
        ),
      );
  if (t.columnTotals)
    for (let j = 0; j < cols; j++)
      eqs.push(
        minus(
          at((s) => s.kind === 'cell' && s.j === j),
          at((s) => s.kind === 'col' && s.j === j),
        ),
      );
  if (t.grandTotal && t.rowTotals)
    eqs.push(
      minus(
        at((s) => s.kind === 'row'),
        at((s) => s.kind === 'grand'),
      ),
    );
  if (t.grandTotal && t.columnTotals)
    eqs.push(
      minus(
        at((s) => s.kind === 'col'),
        at((s) => s.kind === 'grand'),
      ),
    );
  return eqs;
}

/**
 * The hidden values a reader can compute exactly from the shown ones: unknown k is determined
 * when the unit vector e_k lies in the row space of the equations restricted to the unknowns, i.e.
 * in the reduced row echelon form k is a pivot whose row has no other non-zero entry.
 */
function determinedHidden(t: SuppressedTable): number[] {
  const list = slots(t);
  const hidden = list.map((s, k) => (s.v.suppression ? k : -1)).filter((k) => k >= 0);
  const m = equations(t).map((eq) => hidden.map((k) => eq[k]!));
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < hidden.length && r < m.length; c++) {
    let p = -1;
    for (let i = r; i < m.length; i++) if (Math.abs(m[i]![c]!) > 1e-9) p = p < 0 ? i : p;
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    const pivot = m[r]![c]!;
    m[r] = m[r]!.map((x) => x / pivot);
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]!;
      if (Math.abs(f) > 1e-9) m[i] = m[i]!.map((x, k) => x - f * m[r]![k]!);
    }
    pivots[r] = c;
    r++;
  }
  const determined: number[] = [];
  for (let i = 0; i < r; i++) {
    const row = m[i]!;
    const nonZero = row.filter((x) => Math.abs(x) > 1e-9).length;
    if (nonZero === 1) determined.push(hidden[pivots[i]!]!);
  }
  return determined;
}

const smallOrLarge = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 10, max: 500 }));
const cellsArb = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([r, c]) => fc.array(fc.array(smallOrLarge, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));
/** Which totals are published; a grand total only with row or column totals. */
const totalsArb = fc
  .record({ rows: fc.boolean(), columns: fc.boolean(), grand: fc.boolean() })
  .map((w) => ({ ...w, grand: w.grand && (w.rows || w.columns) }));
const tableArb = fc.tuple(cellsArb, totalsArb).map(([cells, which]) => withTotals(cells, which));

describe('suppressCounts', () => {
  it('hides every published count below 10, totals included', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        for (const { v } of slots(suppressCounts(table))) if (v.value < 10) expect(v.suppression).toBe('primary');
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no line of the table with exactly one hidden value among those adding up to a shown or hidden total', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const t = suppressCounts(table);
        const list = slots(t);
        for (const eq of equations(t)) {
          const hiddenInLine = eq.filter((coef, k) => coef !== 0 && list[k]!.v.suppression).length;
          expect(hiddenInLine).not.toBe(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no hidden value that the shown values and the totals determine (checked by linear algebra)', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        expect(determinedHidden(suppressCounts(table))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('with full totals, gives each hidden cell another hidden cell in its row (or a hidden row total) and in its column (or a hidden column total)', () => {
    fc.assert(
      fc.property(cellsArb, (cells) => {
        const t = suppressCounts(withTotals(cells));
        for (const [i, row] of t.cells.entries())
          for (const [j, v] of row.entries()) {
            if (!v.suppression) continue;
            const inRow =
              row.filter((x, jj) => jj !== j && x.suppression).length + (t.rowTotals![i]!.suppression ? 1 : 0);
            const inColumn =
              t.cells.filter((r, ii) => ii !== i && r[j]!.suppression).length +
              (t.columnTotals![j]!.suppression ? 1 : 0);
            expect(inRow).toBeGreaterThan(0);
            expect(inColumn).toBeGreaterThan(0);
          }
      }),
      { numRuns: 500 },
    );
  });

  it('hides nothing when every count is 10 or more', () => {
    const large = fc.integer({ min: 10, max: 10_000 });
    fc.assert(
      fc.property(
        fc
          .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
          .chain(([r, c]) => fc.array(fc.array(large, { minLength: c, maxLength: c }), { minLength: r, maxLength: r })),
        totalsArb,
        (cells, which) => {
          const t = suppressCounts(withTotals(cells, which));
          expect(slots(t).filter(({ v }) => v.suppression)).toEqual([]);
        },
      ),
    );
  });

  it('hides one small cell among large ones with exactly three more cells, a rectangle inside the table', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 6 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 9 }),
        fc.array(fc.integer({ min: 10, max: 900 }), { minLength: 36, maxLength: 36 }),
        (rows, cols, ri, ci, small, values) => {
          const cells = Array.from({ length: rows }, (_, i) =>
            Array.from({ length: cols }, (_, j) => values[i * 6 + j]!),
          );
          cells[ri % rows]![ci % cols] = small;
          const t = suppressCounts(withTotals(cells));
          const hidden = slots(t).filter(({ v }) => v.suppression);
          expect(hidden).toHaveLength(4);
          expect(hidden.every(({ slot }) => slot.kind === 'cell')).toBe(true);
          const rowsHit = new Set(hidden.map(({ slot }) => (slot.kind === 'cell' ? slot.i : -1)));
          const colsHit = new Set(hidden.map(({ slot }) => (slot.kind === 'cell' ? slot.j : -1)));
          expect([rowsHit.size, colsHit.size]).toEqual([2, 2]);
        },
      ),
    );
  });

  it('hides only the small cells when they already protect each other', () => {
    // Four small cells at the corners of a rectangle: each has a hidden partner in its row and column.
    const cells = [
      [3, 50, 4, 60],
      [40, 70, 80, 90],
      [5, 30, 6, 20],
    ];
    const t = suppressCounts(withTotals(cells));
    expect(t.cells.map((row) => row.map((v) => v.suppression))).toEqual([
      ['primary', null, 'primary', null],
      [null, null, null, null],
      ['primary', null, 'primary', null],
    ]);
    expect([...t.rowTotals!, ...t.columnTotals!, t.grandTotal!].every((v) => v.suppression === null)).toBe(true);
  });

  it('hides the smallest second cell of a row and of a column (worked example of docs/kpi.md)', () => {
    // Municipalities × fiscal years with the prefecture's yearly totals and each municipality's sum.
    const cells = [
      [120, 135, 150],
      [4, 22, 31],
      [18, 15, 27],
      [40, 38, 52],
    ];
    const t = suppressCounts(withTotals(cells));
    const shown = t.cells.map((row) => row.map((v) => shownValue(v) ?? 'X'));
    expect(shown).toEqual([
      [120, 135, 150],
      ['X', 'X', 31],
      ['X', 'X', 27],
      [40, 38, 52],
    ]);
    expect(t.cells[1]![0]!.suppression).toBe('primary');
    expect(t.cells[2]![1]!.suppression).toBe('secondary');
  });

  it('closes a hidden cell that joins two protected groups, although every line has two hidden values', () => {
    // Two rectangles of small cells joined by the small cell (1, 2): every row and column holds two
    // or more hidden cells, yet (1, 2) alone links the groups and would be determined.
    const L = 100;
    const cells = [
      [1, 2, L, L, L],
      [3, 4, 5, L, L],
      [L, L, 6, 7, L],
      [L, L, 8, 9, L],
      [L, L, L, L, L],
    ];
    const t = suppressCounts(withTotals(cells));
    expect(determinedHidden(t)).toEqual([]);
    const secondary = slots(t).filter(({ v }) => v.suppression === 'secondary');
    expect(secondary).toHaveLength(1);
  });

  it('hides only the small cells of a table published without totals', () => {
    const t = suppressCounts({ cells: [[1, 50, 2]] });
    expect(t.cells[0]!.map((v) => v.suppression)).toEqual(['primary', null, 'primary']);
  });

  it('hides a second municipality of a column whose prefecture total is published', () => {
    const t = suppressCounts({ cells: [[3], [12], [40], [25]], columnTotals: [80] });
    expect(t.cells.map((r) => r[0]!.suppression)).toEqual(['primary', 'secondary', null, null]);
    expect(t.columnTotals![0]!.suppression).toBeNull();
  });

  it('hides a value that a linked table hides, and protects it there too', () => {
    const t = suppressCounts({ cells: [[30, 40, 50]], rowTotals: [120] }, { alsoHide: { cells: [[0, 2]] } });
    expect(t.cells[0]!.map((v) => v.suppression)).toEqual(['secondary', null, 'secondary']);
    expect(determinedHidden(t)).toEqual([]);
  });

  it('refuses what is not a table of counts of people, naming where', () => {
    expect(() => suppressCounts({ cells: [[1, 2], [3]] })).toThrow(/row 2/);
    expect(() => suppressCounts({ cells: [[1, -2]] })).toThrow(/row 1, column 2/);
    expect(() => suppressCounts({ cells: [[1.5]] })).toThrow(/row 1, column 1/);
    expect(() => suppressCounts({ cells: [[1]], rowTotals: [1, 2] })).toThrow(/row totals/);
    expect(() => suppressCounts({ cells: [[1]], grandTotal: 1 })).toThrow(/grand total/);
    expect(() => suppressCounts({ cells: [] })).toThrow(/at least one row/);
  });

  it('gives the same answer for the same table', () => {
    fc.assert(
      fc.property(tableArb, (table: CountTable) => {
        expect(suppressCounts(table)).toEqual(suppressCounts(table));
      }),
      { numRuns: 100 },
    );
  });
});
