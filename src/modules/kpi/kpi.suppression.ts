/**
 * Statistical disclosure control for published tables of counts of people (秘匿処理): what the
 * public KPI page, the public evaluation report and the open-data CSV show. Pure functions.
 *
 * The rule (docs/kpi.md, 公開データの秘匿処理):
 * 1. Primary suppression: every published count below the threshold (10) — a cell or a total,
 *    zero included — is hidden and shown as `X`.
 * 2. Secondary (complementary) suppression: more cells are hidden until no hidden value can be
 *    worked out from the shown values and the table's totals. A line (row or column, its total
 *    included) with exactly one hidden member gets a second one hidden — preferably a cell whose
 *    crossing line also has a lone hidden member (one suppression closes both), else the smallest
 *    — and this repeats until stable. A pattern can still leave a hidden cell determined although
 *    every line has two (two closed groups joined by one cell); such a cell is found exactly (see
 *    below) and the smallest cell joining the two groups is hidden too.
 *
 * Why the check is exact: with totals, every row and column of the table extended by its margins
 * is one linear equation. Think of each equation as a node and of each hidden value as an edge
 * between the (at most two) equations it appears in — a value missing from an equation, such as a
 * cell of a table without row totals, ends at one shared "free" node. The hidden values can change
 * together, keeping every equation true, exactly along cycles of that graph; so a hidden value is
 * determined by the shown ones if and only if its edge is a bridge (lies on no cycle). The result
 * has no bridge. Only exact disclosure is prevented: as counts are never negative, shown values
 * still bound a hidden one (it is at most its line's total) — the usual standard for such tables.
 */

/** Counts of people below this are never published (統計の秘匿基準). */
export const SUPPRESSION_THRESHOLD = 10;

/**
 * A table of counts as published: `cells[row][column]`, and the totals that are published with it.
 * A total left out is not published, so no equation comes from it. Totals need not be the sums of
 * the cells (a person counted in two municipalities is counted once in the prefecture's total); the
 * suppression then protects as if they were, which is never weaker.
 */
export type CountTable = {
  cells: readonly (readonly number[])[];
  rowTotals?: readonly number[] | null;
  columnTotals?: readonly number[] | null;
  /** Published only with row or column totals. */
  grandTotal?: number | null;
};

export type Suppression = 'primary' | 'secondary';

/** A published value with whether it is hidden (and why, for staff; never publish the reason). */
export type SuppressedValue = { value: number; suppression: Suppression | null };

export type SuppressedTable = {
  cells: SuppressedValue[][];
  rowTotals: SuppressedValue[] | null;
  columnTotals: SuppressedValue[] | null;
  grandTotal: SuppressedValue | null;
};

/** Values already hidden for another reason — the same figure hidden in a linked table. */
export type ForcedHidden = {
  cells?: ReadonlyArray<readonly [row: number, column: number]>;
  rowTotals?: readonly number[];
  columnTotals?: readonly number[];
  grandTotal?: boolean;
};

export type SuppressionOptions = { threshold?: number; alsoHide?: ForcedHidden };

/** Shown text of a published count: the number, or `X` when hidden. */
export const HIDDEN_MARK = 'X';

/** The value to publish: the number, or null when it is hidden. */
export function shownValue(v: SuppressedValue): number | null {
  return v.suppression ? null : v.value;
}

/** The totals of `cells` as a table publishes them (row, column and grand totals: the sums). */
export function withTotals(
  cells: readonly (readonly number[])[],
  which: { rows?: boolean; columns?: boolean; grand?: boolean } = { rows: true, columns: true, grand: true },
): CountTable {
  const width = cells[0]?.length ?? 0;
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = Array.from({ length: width }, (_, j) => cells.reduce((a, row) => a + (row[j] ?? 0), 0));
  return {
    cells,
    rowTotals: which.rows ? rowTotals : null,
    columnTotals: which.columns ? columnTotals : null,
    grandTotal: which.grand ? rowTotals.reduce((a, b) => a + b, 0) : null,
  };
}

// ---- the graph of equations ------------------------------------------------------------------

/** One published value as an edge between the two equations it belongs to (FREE: none). */
type Edge = { value: number; a: number; b: number; hidden: Suppression | null; order: number };

const FREE = 0;

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

function checkCount(value: number, where: string): void {
  if (!isCount(value)) throw new RangeError(`${where}: a count of people must be a whole number ≥ 0, got ${value}`);
}

/**
 * Hides the counts of a table that may not be published: below the threshold, and those that
 * would let a hidden one be worked out from the totals. Deterministic for a given table.
 */
export function suppressCounts(table: CountTable, options: SuppressionOptions = {}): SuppressedTable {
  const threshold = options.threshold ?? SUPPRESSION_THRESHOLD;
  const rows = table.cells.length;
  const columns = table.cells[0]?.length ?? 0;
  for (const [i, row] of table.cells.entries()) {
    if (row.length !== columns) throw new RangeError(`row ${i + 1}: ${row.length} cells, expected ${columns}`);
    for (const [j, v] of row.entries()) checkCount(v, `row ${i + 1}, column ${j + 1}`);
  }
  if (rows === 0 || columns === 0) throw new RangeError('a table needs at least one row and one column');
  const rowTotals = table.rowTotals ?? null;
  const columnTotals = table.columnTotals ?? null;
  const grandTotal = table.grandTotal ?? null;
  if (rowTotals && rowTotals.length !== rows)
    throw new RangeError(`row totals: ${rowTotals.length} values, expected ${rows}`);
  if (columnTotals && columnTotals.length !== columns)
    throw new RangeError(`column totals: ${columnTotals.length} values, expected ${columns}`);
  for (const [i, v] of (rowTotals ?? []).entries()) checkCount(v, `total of row ${i + 1}`);
  for (const [j, v] of (columnTotals ?? []).entries()) checkCount(v, `total of column ${j + 1}`);
  if (grandTotal !== null) {
    checkCount(grandTotal, 'grand total');
    if (!rowTotals && !columnTotals) throw new RangeError('grand total: published without row or column totals');
  }

  // Equation nodes: 0 = FREE, 1..rows = interior rows, then the totals row, then interior columns,
  // then the totals column. An equation exists only where its line has a published total.
  const rowNode = (i: number) => (rowTotals ? 1 + i : FREE);
  // The totals row is an equation (its totals add up to the grand total) only when it exists.
  const totalsRowNode = grandTotal !== null && columnTotals ? 1 + rows : FREE;
  const columnNode = (j: number) => (columnTotals ? 2 + rows + j : FREE);
  const totalsColumnNode = grandTotal !== null && rowTotals ? 2 + rows + columns : FREE;
  const nodeCount = 3 + rows + columns;

  const edges: Edge[] = [];
  const add = (value: number, a: number, b: number) => {
    const edge: Edge = { value, a, b, hidden: null, order: edges.length };
    edges.push(edge);
    return edge;
  };
  const cellEdges = table.cells.map((row, i) => row.map((v, j) => add(v, rowNode(i), columnNode(j))));
  const rowTotalEdges = rowTotals?.map((v, i) => add(v, rowNode(i), totalsColumnNode)) ?? null;
  const columnTotalEdges = columnTotals?.map((v, j) => add(v, totalsRowNode, columnNode(j))) ?? null;
  const grandEdge = grandTotal !== null ? add(grandTotal, totalsRowNode, totalsColumnNode) : null;

  for (const edge of edges) if (edge.value < threshold) edge.hidden = 'primary';
  const forced = options.alsoHide;
  const force = (edge: Edge | undefined, where: string) => {
    if (!edge) throw new RangeError(`alsoHide: ${where} is not in the table`);
    edge.hidden ??= 'secondary';
  };
  for (const [i, j] of forced?.cells ?? []) force(cellEdges[i]?.[j], `cell ${i + 1}, ${j + 1}`);
  for (const i of forced?.rowTotals ?? []) force(rowTotalEdges?.[i], `total of row ${i + 1}`);
  for (const j of forced?.columnTotals ?? []) force(columnTotalEdges?.[j], `total of column ${j + 1}`);
  if (forced?.grandTotal) force(grandEdge ?? undefined, 'the grand total');

  protect(edges, nodeCount);

  const out = (e: Edge): SuppressedValue => ({ value: e.value, suppression: e.hidden });
  return {
    cells: cellEdges.map((row) => row.map(out)),
    rowTotals: rowTotalEdges?.map(out) ?? null,
    columnTotals: columnTotalEdges?.map(out) ?? null,
    grandTotal: grandEdge ? out(grandEdge) : null,
  };
}

/** Secondary suppression: hides edges until no hidden edge is a bridge. */
function protect(edges: Edge[], nodeCount: number): void {
  const incident: Edge[][] = Array.from({ length: nodeCount }, () => []);
  for (const e of edges) {
    incident[e.a]!.push(e);
    if (e.b !== e.a) incident[e.b]!.push(e);
  }
  // Hidden values per equation, kept up to date as values are hidden (a loop counts twice).
  const degree = new Array<number>(nodeCount).fill(0);
  for (const e of edges) {
    if (!e.hidden) continue;
    degree[e.a]!++;
    degree[e.b]!++;
  }
  const hiddenDegree = (node: number) => degree[node]!;
  const hide = (e: Edge) => {
    e.hidden = 'secondary';
    degree[e.a]!++;
    degree[e.b]!++;
  };
  const other = (e: Edge, node: number) => (e.a === node ? e.b : e.a);
  /** Smaller is better: closes a second lone line, then the smaller value, then the earlier cell. */
  const better = (x: Edge, y: Edge, lone: (e: Edge) => boolean) => {
    const lx = lone(x) ? 0 : 1;
    const ly = lone(y) ? 0 : 1;
    if (lx !== ly) return lx < ly;
    if (x.value !== y.value) return x.value < y.value;
    return x.order < y.order;
  };

  // Bounded: every round hides one more value, and a table with every value hidden has no bridge.
  for (let round = 0; round <= edges.length; round++) {
    // 1. A line (an equation; the free node is none) with exactly one hidden member.
    let lone = -1;
    for (let node = 1; node < nodeCount && lone < 0; node++) if (hiddenDegree(node) === 1) lone = node;
    if (lone >= 0) {
      let pick: Edge | null = null;
      const closesAnother = (e: Edge) => {
        const o = other(e, lone);
        return o !== FREE && hiddenDegree(o) === 1;
      };
      for (const e of incident[lone]!) if (!e.hidden && (!pick || better(e, pick, closesAnother))) pick = e;
      if (!pick) throw new Error('secondary suppression: a line with one hidden value has nothing else to hide');
      hide(pick);
      continue;
    }
    // 2. A hidden value that is still a bridge: join its two sides by one more hidden value.
    const bridge = findBridge(incident, nodeCount);
    if (!bridge) return;
    const side = sideOf(bridge, incident, nodeCount);
    let pick: Edge | null = null;
    const joins = (e: Edge) => side[e.a] !== side[e.b] && side[e.a] !== 0 && side[e.b] !== 0;
    const touches = (e: Edge) => side[e.a] !== side[e.b];
    for (const e of edges) if (!e.hidden && joins(e) && (!pick || better(e, pick, () => false))) pick = e;
    // No value joins the two sides directly (a side that is one free node): grow a side instead.
    if (!pick) for (const e of edges) if (!e.hidden && touches(e) && (!pick || better(e, pick, () => false))) pick = e;
    if (!pick) throw new Error('secondary suppression: no value left to hide next to a determined one');
    hide(pick);
  }
  throw new Error('secondary suppression did not settle');
}

/** A hidden edge lying on no cycle of hidden edges (Tarjan's bridge search), or null. */
function findBridge(incident: Edge[][], nodeCount: number): Edge | null {
  const index = new Array<number>(nodeCount).fill(-1);
  const low = new Array<number>(nodeCount).fill(0);
  let counter = 0;
  let found: Edge | null = null;
  // Iterative depth-first search, so a national table (1,741 rows) cannot overflow the stack.
  for (let start = 0; start < nodeCount && !found; start++) {
    if (index[start] !== -1) continue;
    index[start] = low[start] = counter++;
    const stack: Array<{ node: number; via: Edge | null; next: number }> = [{ node: start, via: null, next: 0 }];
    while (stack.length && !found) {
      const frame = stack[stack.length - 1]!;
      const list = incident[frame.node]!;
      if (frame.next < list.length) {
        const e = list[frame.next++]!;
        if (!e.hidden || e === frame.via) continue;
        const to = e.a === frame.node ? e.b : e.a;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack.push({ node: to, via: e, next: 0 });
        } else low[frame.node] = Math.min(low[frame.node]!, index[to]!);
        continue;
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) {
        low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
        if (low[frame.node]! > index[parent.node]!) found = frame.via;
      }
    }
  }
  return found;
}

/** For each node: 1 on the bridge's `a` side, 2 on its `b` side, 0 elsewhere (through hidden edges). */
function sideOf(bridge: Edge, incident: Edge[][], nodeCount: number): number[] {
  const side = new Array<number>(nodeCount).fill(0);
  const fill = (start: number, mark: number) => {
    const todo = [start];
    side[start] = mark;
    while (todo.length) {
      const node = todo.pop()!;
      for (const e of incident[node]!) {
        if (!e.hidden || e === bridge) continue;
        const to = e.a === node ? e.b : e.a;
        if (side[to] === 0) {
          side[to] = mark;
          todo.push(to);
        }
      }
    }
  };
  fill(bridge.a, 1);
  fill(bridge.b, 2);
  return side;
}
