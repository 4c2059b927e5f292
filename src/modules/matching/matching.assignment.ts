/**
 * Assigning people to projects across all open projects at once: no project gets more people than
 * its open seats, no person more projects than their capacity (default 1 concurrent project), and
 * the total score is as high as possible; anyone may stay unassigned (a pair with a score of 0 or
 * less never raises the total, so it is never proposed). Three solvers on the same input:
 *
 * - `exactAssignment`: the reference — maximum-weight flow by successive shortest paths (one
 *   augmenting path per Dijkstra with Johnson potentials) on the whole sparse bipartite graph
 *   source → project (seats) → person (1 per pair, cost −score) → sink (capacity), stopping when
 *   the cheapest augmenting path would no longer raise the total.
 * - `greedyAssignment`: the baseline — pairs in falling score order, taken while seats and
 *   capacity last.
 * - `solveAssignment`: the production solver — a forward auction (projects bid for talents, see
 *   `auction`) on each project's best `perProject` pairs plus the pairs greedy took, at least
 *   (1 − tolerance) of the optimum over them (exact with tolerance 0), and greedy's answer where
 *   that would be higher, so it is never below greedy.
 *
 * Scores are whole points (matching.scoring.ts), which lets a small enough auction step give the
 * exact optimum. Pure functions, property-tested in matching.assignment.test.ts; method and figures in
 * docs/matching.md and docs/benchmarks.md.
 */
import { INVOLVEMENT_KINDS, type InvolvementKind } from '../../shared/domain.js';
import {
  AVAILABILITY_POINTS,
  EARLIER_PARTICIPATION_MAX,
  EARLIER_PARTICIPATION_POINTS,
  INVOLVEMENT_DIRECT_POINTS,
  INVOLVEMENT_FIT,
  INVOLVEMENT_RELATED_POINTS,
  MAX_NON_SKILL_POINTS,
  MISSING_REQUIRED_SKILL_POINTS,
  ON_SITE_WISHES,
  type ProjectNeeds,
  prepareProject,
  PROJECT_KINDS,
  prepareTalent,
  REMOTE_FIT_POINTS,
  REQUIRED_SKILL_POINTS,
  type ScoreReason,
  STAGE_POINTS,
  scoreCandidate,
  strongestLink,
  type TalentProfile,
  WELCOME_SKILL_POINTS,
} from './matching.scoring.js';

export type SeatedProject = { id: string; seats: number };
export type TalentCapacity = { id: string /** Concurrent projects; 1 when not given. */; capacity?: number };
export type ScoredPair = { projectId: string; talentId: string; score: number };
export type AssignmentInput = {
  projects: readonly SeatedProject[];
  talents: readonly TalentCapacity[];
  pairs: readonly ScoredPair[];
};
export type Assignment = { projectId: string; talentId: string; score: number };
export type AssignmentResult = {
  assignments: Assignment[];
  totalScore: number;
  /** Seats still open after the assignment, over all projects. */
  openSeatsLeft: number;
};

/** Default number of best pairs per project the production solver keeps, per open seat, and at least. */
export const PAIRS_PER_SEAT = 3;
export const MIN_PAIRS_PER_PROJECT = 6;

/** The input in index form: pair i joins project pp[i] and talent pt[i] with score ps[i] (> 0, deduplicated). */
type Indexed = {
  projectIds: string[];
  talentIds: string[];
  seats: Int32Array;
  capacity: Int32Array;
  pp: Int32Array;
  pt: Int32Array;
  ps: Float64Array;
};

function indexInput(input: AssignmentInput): Indexed {
  const projectIndex = new Map<string, number>();
  const talentIndex = new Map<string, number>();
  const seats = new Int32Array(input.projects.length);
  const capacity = new Int32Array(input.talents.length);
  input.projects.forEach((p, i) => {
    if (projectIndex.has(p.id)) throw new Error(`project ${p.id} is listed twice`);
    if (!Number.isInteger(p.seats) || p.seats < 0) throw new Error(`project ${p.id}: seats must be a whole number ≥ 0`);
    projectIndex.set(p.id, i);
    seats[i] = p.seats;
  });
  input.talents.forEach((t, i) => {
    if (talentIndex.has(t.id)) throw new Error(`talent ${t.id} is listed twice`);
    const c = t.capacity ?? 1;
    if (!Number.isInteger(c) || c < 0) throw new Error(`talent ${t.id}: capacity must be a whole number ≥ 0`);
    talentIndex.set(t.id, i);
    capacity[i] = c;
  });
  // One pair per (project, talent): the highest score given for it.
  const best = new Map<number, Map<number, number>>();
  for (const pair of input.pairs) {
    const p = projectIndex.get(pair.projectId);
    const t = talentIndex.get(pair.talentId);
    if (p === undefined) throw new Error(`pair names unknown project ${pair.projectId}`);
    if (t === undefined) throw new Error(`pair names unknown talent ${pair.talentId}`);
    if (!Number.isInteger(pair.score))
      throw new Error(`pair ${pair.projectId}/${pair.talentId}: score must be whole points`);
    if (pair.score <= 0 || seats[p] === 0 || capacity[t] === 0) continue;
    let row = best.get(p);
    if (!row) {
      row = new Map();
      best.set(p, row);
    }
    const had = row.get(t);
    if (had === undefined || pair.score > had) row.set(t, pair.score);
  }
  let n = 0;
  for (const row of best.values()) n += row.size;
  const pp = new Int32Array(n);
  const pt = new Int32Array(n);
  const ps = new Float64Array(n);
  let i = 0;
  for (const [p, row] of [...best].sort((a, b) => a[0] - b[0]))
    for (const [t, s] of [...row].sort((a, b) => a[0] - b[0])) {
      pp[i] = p;
      pt[i] = t;
      ps[i] = s;
      i++;
    }
  return {
    projectIds: input.projects.map((p) => p.id),
    talentIds: input.talents.map((t) => t.id),
    seats,
    capacity,
    pp,
    pt,
    ps,
  };
}

function result(ix: Indexed, chosen: Iterable<number>): AssignmentResult {
  const assignments: Assignment[] = [];
  let totalScore = 0;
  const used = new Int32Array(ix.seats.length);
  for (const i of chosen) {
    const p = ix.pp[i]!;
    used[p]!++;
    totalScore += ix.ps[i]!;
    assignments.push({ projectId: ix.projectIds[p]!, talentId: ix.talentIds[ix.pt[i]!]!, score: ix.ps[i]! });
  }
  let openSeatsLeft = 0;
  for (let p = 0; p < ix.seats.length; p++) openSeatsLeft += ix.seats[p]! - used[p]!;
  assignments.sort((a, b) =>
    a.projectId < b.projectId
      ? -1
      : a.projectId > b.projectId
        ? 1
        : b.score - a.score || (a.talentId < b.talentId ? -1 : 1),
  );
  return { assignments, totalScore, openSeatsLeft };
}

/** Pair indices in falling score order; ties broken by project, then talent (deterministic). */
function byScore(ix: Indexed, subset?: Int32Array): Int32Array {
  const order = subset ? Int32Array.from(subset) : Int32Array.from({ length: ix.pp.length }, (_, i) => i);
  return order.sort((a, b) => ix.ps[b]! - ix.ps[a]! || ix.pp[a]! - ix.pp[b]! || ix.pt[a]! - ix.pt[b]!);
}

function greedyIndices(ix: Indexed): number[] {
  const seats = Int32Array.from(ix.seats);
  const capacity = Int32Array.from(ix.capacity);
  const chosen: number[] = [];
  for (const i of byScore(ix)) {
    const p = ix.pp[i]!;
    const t = ix.pt[i]!;
    if (seats[p]! > 0 && capacity[t]! > 0) {
      seats[p]!--;
      capacity[t]!--;
      chosen.push(i);
    }
  }
  return chosen;
}

/** The baseline: the best remaining pair first, while seats and capacity last. */
export function greedyAssignment(input: AssignmentInput): AssignmentResult {
  const ix = indexInput(input);
  return result(ix, greedyIndices(ix));
}

// --- The flow network -----------------------------------------------------------------------------

/**
 * Residual network in flat arrays. Node 0 is the source, 1..P the projects, P+1..P+T the talents,
 * P+T+1 the sink. Edge e and its reverse e^1 are stored side by side.
 */
class Network {
  readonly n: number;
  readonly source = 0;
  readonly sink: number;
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly to: Int32Array;
  readonly cap: Int32Array;
  readonly cost: Float64Array;
  /** Edge index of each pair's project → talent edge. */
  readonly pairEdge: Int32Array;
  readonly pot: Float64Array;
  private edges = 0;

  constructor(ix: Indexed, pairs: Int32Array) {
    const P = ix.seats.length;
    // Only talents that appear in a pair get a node: the others cannot take part.
    const node = new Int32Array(ix.capacity.length).fill(-1);
    let T = 0;
    for (let k = 0; k < pairs.length; k++) {
      const t = ix.pt[pairs[k]!]!;
      if (node[t] === -1) node[t] = 1 + P + T++;
    }
    this.n = P + T + 2;
    this.sink = P + T + 1;
    const m = 2 * (P + T + pairs.length);
    this.head = new Int32Array(this.n).fill(-1);
    this.next = new Int32Array(m);
    this.to = new Int32Array(m);
    this.cap = new Int32Array(m);
    this.cost = new Float64Array(m);
    this.pairEdge = new Int32Array(pairs.length);
    this.pot = new Float64Array(this.n);
    for (let p = 0; p < P; p++) this.add(this.source, 1 + p, ix.seats[p]!, 0);
    for (let t = 0; t < node.length; t++) if (node[t] !== -1) this.add(node[t]!, this.sink, ix.capacity[t]!, 0);
    pairs.forEach((i, k) => {
      this.pairEdge[k] = this.edges;
      this.add(1 + ix.pp[i]!, node[ix.pt[i]!]!, 1, -ix.ps[i]!);
    });
    // Potentials that make every edge's reduced cost ≥ 0 (the graph is layered, so one pass).
    for (let k = 0; k < pairs.length; k++) {
      const v = node[ix.pt[pairs[k]!]!]!;
      this.pot[v] = Math.min(this.pot[v]!, -ix.ps[pairs[k]!]!);
    }
    let low = 0;
    for (let v = 1 + P; v < this.sink; v++) low = Math.min(low, this.pot[v]!);
    this.pot[this.sink] = low;
  }

  private add(u: number, v: number, cap: number, cost: number) {
    const e = this.edges;
    this.to[e] = v;
    this.cap[e] = cap;
    this.cost[e] = cost;
    this.next[e] = this.head[u]!;
    this.head[u] = e;
    this.to[e + 1] = u;
    this.cap[e + 1] = 0;
    this.cost[e + 1] = -cost;
    this.next[e + 1] = this.head[v]!;
    this.head[v] = e + 1;
    this.edges += 2;
  }

  reduced(e: number, u: number): number {
    return this.cost[e]! + this.pot[u]! - this.pot[this.to[e]!]!;
  }

  /**
   * Dijkstra on reduced costs from the source, then the potentials moved by the distances. Returns
   * the cost of the cheapest source → sink path (Infinity when none); `prev` gets the path's edges.
   */
  shortestPaths(prev: Int32Array): number {
    const { n, pot } = this;
    const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    const done = new Uint8Array(n);
    prev.fill(-1);
    const heap = new MinHeap();
    dist[this.source] = 0;
    heap.push(0, this.source);
    while (heap.size) {
      heap.pop();
      const d = heap.topKey;
      const u = heap.topVal;
      if (done[u]) continue;
      done[u] = 1;
      for (let e = this.head[u]!; e !== -1; e = this.next[e]!) {
        if (this.cap[e]! <= 0) continue;
        const v = this.to[e]!;
        if (done[v]) continue;
        // Reduced costs are ≥ 0 in exact arithmetic; clamp rounding noise of fractional potentials.
        const nd = d + Math.max(0, this.cost[e]! + pot[u]! - pot[v]!);
        if (nd < dist[v]!) {
          dist[v] = nd;
          prev[v] = e;
          heap.push(nd, v);
        }
      }
    }
    if (!done[this.sink]) return Number.POSITIVE_INFINITY;
    let reached = 0;
    for (let v = 0; v < n; v++) if (done[v]) reached = Math.max(reached, dist[v]!);
    for (let v = 0; v < n; v++) pot[v]! += done[v] ? dist[v]! : reached;
    return pot[this.sink]! - pot[this.source]!;
  }

  /** Pairs whose project → talent edge carries flow. */
  chosen(pairs: Int32Array): number[] {
    const out: number[] = [];
    for (let k = 0; k < pairs.length; k++) if (this.cap[this.pairEdge[k]!] === 0) out.push(pairs[k]!);
    return out;
  }
}

/** A binary min-heap of (key, node), lazily pruned by the caller. */
class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size() {
    return this.keys.length;
  }
  push(key: number, val: number) {
    const { keys, vals } = this;
    let i = keys.length;
    keys.push(key);
    vals.push(val);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      vals[i] = vals[parent]!;
      i = parent;
    }
    keys[i] = key;
    vals[i] = val;
  }
  /** The top's key and value after `pop` (no tuple per pop: Dijkstra pops millions). */
  topKey = 0;
  topVal = 0;
  pop(): void {
    const { keys, vals } = this;
    this.topKey = keys[0]!;
    this.topVal = vals[0]!;
    const lastKey = keys.pop()!;
    const lastVal = vals.pop()!;
    const n = keys.length;
    if (n) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        vals[i] = vals[child]!;
        i = child;
      }
      keys[i] = lastKey;
      vals[i] = lastVal;
    }
  }
}

const allPairs = (ix: Indexed) => Int32Array.from({ length: ix.pp.length }, (_, i) => i);

/** The reference: successive shortest paths, one augmenting path per Dijkstra, on every pair. */
export function exactAssignment(input: AssignmentInput): AssignmentResult {
  const ix = indexInput(input);
  const pairs = allPairs(ix);
  const net = new Network(ix, pairs);
  const prev = new Int32Array(net.n);
  for (;;) {
    const pathCost = net.shortestPaths(prev);
    if (!(pathCost < 0)) break; // no path, or one that would not raise the total
    for (let v = net.sink; v !== net.source; v = net.to[prev[v]! ^ 1]!) {
      net.cap[prev[v]!]!--;
      net.cap[prev[v]! ^ 1]!++;
    }
  }
  return result(ix, net.chosen(pairs));
}

export type SolveOptions = {
  /** Best pairs kept per open seat of a project (PAIRS_PER_SEAT). */
  pairsPerSeat?: number;
  /** …and at least this many per project (MIN_PAIRS_PER_PROJECT). Infinity keeps every pair. */
  minPairsPerProject?: number;
  /**
   * The share of greedy's total the auction may fall short of the optimum by, at most
   * (AUCTION_TOLERANCE); 0 gives the exact optimum over the kept pairs.
   */
  tolerance?: number;
};

/**
 * Default `tolerance`: the production total is at least 0.999 of the optimum over the kept pairs
 * (on the benchmark's 10,000 projects it reached the optimum itself, in a tenth of the time that
 * tolerance 0 takes).
 */
export const AUCTION_TOLERANCE = 0.001;

/**
 * Forward auction for the capacitated assignment (Bertsekas), projects bidding for talents.
 *
 * Each talent t has a price v(t): 0 while it has a free place, else the lowest bid it holds. A
 * project with a free seat takes, among the talents it does not hold yet, the one of best profit
 * a − v (against 0 for leaving the seat empty: no bid when nothing is positive) and bids
 * b = a − second + ε, the second best profit being at least 0; a talent that is full drops its
 * lowest bid, whose project gets the seat back and bids again. Prices only rise and every bid on a
 * full talent raises the sum of its bids by at least ε, so it ends.
 *
 * At the end every held pair is within ε of the project's best alternative at current prices, and
 * every talent with a price is full; by LP duality (dual value Σ capacity × v + per project the
 * sum of its seats' best positive a − v) the total is at least the optimum − ε × pairs assigned.
 * Scores are whole points, so ε below 1 / (seats + 1) gives the exact optimum; otherwise ε is
 * chosen so that ε × seats ≤ tolerance × greedy's total ≤ tolerance × the optimum.
 */
function auction(ix: Indexed, pairs: Int32Array, epsilon: number): number[] {
  const P = ix.seats.length;
  const T = ix.capacity.length;
  // Pairs per project (pairs are in project order already: indexInput sorts them).
  const start = new Int32Array(P + 1);
  for (let k = 0; k < pairs.length; k++) start[ix.pp[pairs[k]!]! + 1]!++;
  for (let p = 0; p < P; p++) start[p + 1]! += start[p]!;
  const order = new Int32Array(pairs.length);
  const fill = start.slice(0, P);
  for (let k = 0; k < pairs.length; k++) order[fill[ix.pp[pairs[k]!]!]!++] = pairs[k]!;
  // Places of each talent: the pair holding it (−1 free) and its bid.
  const slotStart = new Int32Array(T + 1);
  for (let t = 0; t < T; t++) slotStart[t + 1] = slotStart[t]! + ix.capacity[t]!;
  const slotPair = new Int32Array(slotStart[T]!).fill(-1);
  const slotBid = new Float64Array(slotStart[T]!);
  const price = new Float64Array(T);
  const free = new Int32Array(T);
  for (let t = 0; t < T; t++) free[t] = ix.capacity[t]!;
  const held = new Uint8Array(ix.pp.length);
  const openSeats = Int32Array.from(ix.seats);
  // Projects with a free seat that may still bid, first in first out.
  const queue = new Int32Array(P + 1);
  const queued = new Uint8Array(P);
  let qh = 0;
  let qt = 0;
  const push = (p: number) => {
    if (queued[p] || openSeats[p]! <= 0 || start[p] === start[p + 1]) return;
    queued[p] = 1;
    queue[qt] = p;
    qt = qt === P ? 0 : qt + 1;
  };
  for (let p = 0; p < P; p++) push(p);
  while (qh !== qt) {
    const p = queue[qh]!;
    qh = qh === P ? 0 : qh + 1;
    queued[p] = 0;
    while (openSeats[p]! > 0) {
      let bestPair = -1;
      let best = 0;
      let second = 0;
      for (let k = start[p]!; k < start[p + 1]!; k++) {
        const i = order[k]!;
        if (held[i]) continue;
        const profit = ix.ps[i]! - price[ix.pt[i]!]!;
        if (profit > best) {
          second = best;
          best = profit;
          bestPair = i;
        } else if (profit > second) second = profit;
      }
      if (bestPair === -1) break; // nothing left worth a seat: it stays empty
      const t = ix.pt[bestPair]!;
      const bid = ix.ps[bestPair]! - second + epsilon;
      let slot = -1;
      if (free[t]! > 0) {
        for (let s = slotStart[t]!; s < slotStart[t + 1]!; s++)
          if (slotPair[s] === -1) {
            slot = s;
            break;
          }
        free[t]!--;
      } else {
        slot = slotStart[t]!;
        for (let s = slot + 1; s < slotStart[t + 1]!; s++) if (slotBid[s]! < slotBid[slot]!) slot = s;
        const out = slotPair[slot]!;
        held[out] = 0;
        const q = ix.pp[out]!;
        openSeats[q]!++;
        push(q);
      }
      slotPair[slot] = bestPair;
      slotBid[slot] = bid;
      held[bestPair] = 1;
      openSeats[p]!--;
      if (free[t] === 0) {
        let low = Number.POSITIVE_INFINITY;
        for (let s = slotStart[t]!; s < slotStart[t + 1]!; s++) low = Math.min(low, slotBid[s]!);
        price[t] = low;
      }
    }
  }
  const chosen: number[] = [];
  for (let s = 0; s < slotPair.length; s++) if (slotPair[s] !== -1) chosen.push(slotPair[s]!);
  return chosen;
}

const totalOf = (ix: Indexed, chosen: readonly number[]) => chosen.reduce((sum, i) => sum + ix.ps[i]!, 0);

/**
 * The production solver (see the file's comment): the auction over each project's best pairs and
 * greedy's pairs, at least (1 − tolerance) of the optimum over them and never below greedy.
 */
export function solveAssignment(input: AssignmentInput, options: SolveOptions = {}): AssignmentResult {
  const ix = indexInput(input);
  const perSeat = options.pairsPerSeat ?? PAIRS_PER_SEAT;
  const atLeast = options.minPairsPerProject ?? MIN_PAIRS_PER_PROJECT;
  const tolerance = Math.max(0, options.tolerance ?? AUCTION_TOLERANCE);
  const keep = new Uint8Array(ix.pp.length);
  const greedy = greedyIndices(ix);
  for (const i of greedy) keep[i] = 1;
  const taken = new Int32Array(ix.seats.length);
  for (const i of byScore(ix)) {
    const p = ix.pp[i]!;
    if (taken[p]! < Math.max(atLeast, perSeat * ix.seats[p]!)) {
      taken[p]!++;
      keep[i] = 1;
    }
  }
  const pairs = Int32Array.from(allPairs(ix).filter((i) => keep[i] === 1));
  // At most this many pairs can be assigned: the gap is below ε times it.
  let seats = 0;
  for (let p = 0; p < ix.seats.length; p++) seats += ix.seats[p]!;
  const greedyTotal = totalOf(ix, greedy);
  const epsilon = Math.max(1 / (seats + 1), (tolerance * greedyTotal) / Math.max(1, seats));
  const chosen = auction(ix, pairs, epsilon);
  return result(ix, totalOf(ix, chosen) >= greedyTotal ? chosen : greedy);
}

// --- The proposal over every open project -------------------------------------------------------

export type ProposalProject = { id: string; seats: number; needs: ProjectNeeds };
export type ProposalTalent = {
  profile: TalentProfile /** Concurrent projects; 1 when not given. */;
  capacity?: number;
};
export type ProposedAssignment = Assignment & { reasons: ScoreReason[] };
export type Proposal = Omit<AssignmentResult, 'assignments'> & {
  assignments: ProposedAssignment[];
  /** Scored candidate pairs the solver chose from. */
  candidatePairs: number;
};

/**
 * Each project's best candidates among people sharing at least one of its skills (required or
 * welcome), exactly: people are visited by their skill points, highest first, and the visit
 * stops once even the most the other factors can add (MAX_NON_SKILL_POINTS) would not beat the
 * `perProject`-th best full score found. The same rule as the SQL candidate search
 * (matching.candidates.ts), over profiles held in memory.
 */
export function candidatePairs(
  projects: readonly ProposalProject[],
  talents: readonly ProposalTalent[],
  perProject: (project: ProposalProject) => number,
): ScoredPair[] {
  const pool = new TalentPool(talents.map((t) => t.profile));
  const pairs: ScoredPair[] = [];
  for (const project of projects) {
    if (project.seats <= 0) continue;
    for (const c of pool.best(project.needs, perProject(project)))
      pairs.push({ projectId: project.id, talentId: talents[c.index]!.profile.personId, score: c.score });
  }
  return pairs;
}

// Module-level copies of the scoring constants: the hot loops below read them for every person.
const REQUIRED = REQUIRED_SKILL_POINTS;
const MISSING = MISSING_REQUIRED_SKILL_POINTS;
const WELCOME = WELCOME_SKILL_POINTS;
const MOST = MAX_NON_SKILL_POINTS;
const DIRECT = INVOLVEMENT_DIRECT_POINTS;
const RELATED = INVOLVEMENT_RELATED_POINTS;
const REMOTE = REMOTE_FIT_POINTS;
const AVAILABILITY = AVAILABILITY_POINTS;
/** The most a person adds beyond tie and earlier participation: involvement, availability, remote fit. */
const PROJECT_MOST = DIRECT + AVAILABILITY + REMOTE;

/** A list of people and, per person, the most they can add to a score beyond skills (same order, falling). */
type KeyedList = { people: Int32Array; most: Uint8Array };

/**
 * Profiles read once into flat arrays, so that the best candidates of thousands of projects can be
 * found without building objects and without reading everyone who shares a skill:
 *
 * - per skill and project kind, the people with the skill by falling `most` — the most they can add
 *   beyond skills to a project of that kind if not tied to its municipality: their earlier
 *   participation and involvement fit exactly, availability and remote fit at their most;
 * - per municipality and skill, the people tied to it with the skill by falling `most` — their tie
 *   and earlier participation exactly, the rest at its most (PROJECT_MOST);
 * - each person's skills and ties as short runs, and the parts of the score that do not depend on
 *   skills. `best` computes exactly `scoreValue`.
 */
export class TalentPool {
  private readonly skillIds = new Map<string, number>();
  /** Kind index → skill id → people with the skill, untied bound. */
  private readonly byKind: KeyedList[][] = [];
  /** Municipality → skill id → its tied people with the skill, tied bound. */
  private readonly tiedBy = new Map<string, Map<number, KeyedList>>();
  /** Person i's skill ids are skills[skillStart[i] .. skillStart[i + 1]). */
  private readonly skillStart: Int32Array;
  private readonly skills: Int32Array;
  /** Person i's ties: municipality ids and link + stage points, tieStart[i] .. tieStart[i + 1]. */
  private readonly tieStart: Int32Array;
  private readonly tieMunicipality: Int32Array;
  private readonly tiePoints: Int32Array;
  private readonly municipalityIds = new Map<string, number>();
  private readonly hours: Int32Array;
  private readonly onSite: Uint8Array;
  private readonly prefecture: Int32Array;
  private readonly prefectureIds = new Map<string, number>();
  private readonly participation: Uint8Array;
  private readonly involvement: Uint16Array;
  /** Per skill id, during a search: 1 required by the project, 2 welcome, 0 neither. */
  private readonly role: Uint8Array;
  /** Per person, during a search: 1 once scored. */
  private readonly seen: Uint8Array;
  /** The people a search marked, to clear `seen` after it. */
  private readonly touched: Int32Array;

  constructor(readonly profiles: readonly TalentProfile[]) {
    const n = profiles.length;
    this.hours = new Int32Array(n);
    this.onSite = new Uint8Array(n);
    this.prefecture = new Int32Array(n);
    this.participation = new Uint8Array(n);
    this.involvement = new Uint16Array(n);
    this.skillStart = new Int32Array(n + 1);
    this.tieStart = new Int32Array(n + 1);
    const skills: number[] = [];
    const tieMunicipality: number[] = [];
    const tiePoints: number[] = [];
    const lists: number[][] = [];
    const tied = new Map<string, Map<number, Array<[number, number]>>>();
    const idOf = (map: Map<string, number>, key: string) => {
      let id = map.get(key);
      if (id === undefined) {
        id = map.size;
        map.set(key, id);
      }
      return id;
    };
    profiles.forEach((p, i) => {
      const count = Math.max(0, Math.floor(p.earlierParticipations));
      const participation = Math.min(count, EARLIER_PARTICIPATION_MAX) * EARLIER_PARTICIPATION_POINTS;
      const own: number[] = [];
      for (const k of prepareTalent(p).skillKeys) {
        const id = idOf(this.skillIds, k);
        skills.push(id);
        own.push(id);
        const list = lists[id];
        if (list) list.push(i);
        else lists[id] = [i];
      }
      this.skillStart[i + 1] = skills.length;
      const seenMunicipality = new Set<string>();
      for (const tie of p.ties) {
        if (seenMunicipality.has(tie.municipalityCode)) continue; // the first tie counts, as in scoreValue
        seenMunicipality.add(tie.municipalityCode);
        const points = strongestLink(tie.links) + (tie.stage ? STAGE_POINTS[tie.stage] : 0);
        tieMunicipality.push(idOf(this.municipalityIds, tie.municipalityCode));
        tiePoints.push(points);
        let bySkill = tied.get(tie.municipalityCode);
        if (!bySkill) {
          bySkill = new Map();
          tied.set(tie.municipalityCode, bySkill);
        }
        for (const id of own) {
          let row = bySkill.get(id);
          if (!row) {
            row = [];
            bySkill.set(id, row);
          }
          row.push([i, points + participation + PROJECT_MOST]);
        }
      }
      this.tieStart[i + 1] = tieMunicipality.length;
      this.hours[i] = p.hoursPerMonth ?? -1;
      this.onSite[i] = p.involvement.some((x) => ON_SITE_WISHES.includes(x)) ? 1 : 0;
      this.prefecture[i] = p.prefecture === null ? -1 : idOf(this.prefectureIds, p.prefecture);
      this.participation[i] = participation;
      this.involvement[i] = involvementMask(p.involvement);
    });
    this.skills = Int32Array.from(skills);
    this.tieMunicipality = Int32Array.from(tieMunicipality);
    this.tiePoints = Int32Array.from(tiePoints);
    // By falling `most`, then by person (the rows come by person): a counting sort, `most` being
    // a small whole number (at most MAX_NON_SKILL_POINTS).
    const keyed = (rows: Array<[number, number]>): KeyedList => {
      const starts = new Int32Array(MAX_NON_SKILL_POINTS + 2);
      for (const [, most] of rows) starts[MAX_NON_SKILL_POINTS - most + 1]!++;
      for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
      const people = new Int32Array(rows.length);
      const most = new Uint8Array(rows.length);
      for (const [i, m] of rows) {
        const at = starts[MAX_NON_SKILL_POINTS - m]!++;
        people[at] = i;
        most[at] = m;
      }
      return { people, most };
    };
    PROJECT_KINDS.forEach((kind, k) => {
      const direct = involvementMask(INVOLVEMENT_FIT[kind].direct);
      const related = involvementMask(INVOLVEMENT_FIT[kind].related);
      this.byKind[k] = lists.map((list) =>
        keyed(
          list.map((i) => {
            const inv = this.involvement[i]!;
            const fit = inv & direct ? DIRECT : inv & related ? RELATED : 0;
            return [i, this.participation[i]! + fit + (this.hours[i]! >= 0 ? AVAILABILITY : 0) + REMOTE];
          }),
        ),
      );
    });
    for (const [code, bySkill] of tied) {
      const out = new Map<number, KeyedList>();
      for (const [id, rows] of bySkill) out.set(id, keyed(rows));
      this.tiedBy.set(code, out);
    }
    this.role = new Uint8Array(this.skillIds.size);
    this.seen = new Uint8Array(n);
    this.touched = new Int32Array(n);
  }

  /**
   * The `limit` best people for a project (score > 0) among those sharing at least one of its
   * skills, best first, with exactly `scoreValue`'s scores.
   *
   * By levels: r of the R required skills, from R down, then welcome skills only. A person with r
   * or more of the required skills is on at least one of any R − r + 1 of their lists, so level r
   * reads the R − r + 1 shortest lists of the required skills — people by falling `most`, and only
   * while the level's best skill points (every welcome skill) plus the person's `most` can reach the
   * `limit`-th best score found (the floor); a list read for a higher level goes on from where it
   * stopped. The untied lists of the project's kind bound everyone, the tied lists of its
   * municipality the people tied to it. A level whose best skill points plus MAX_NON_SKILL_POINTS
   * cannot reach the floor ends the search. Each person read is placed by their own few skills and
   * scored once. The same bounds as the SQL search (matching.candidates.ts).
   */
  best(needs: ProjectNeeds, limit: number): Array<{ index: number; score: number }> {
    if (limit <= 0) return [];
    const p = prepareProject(needs);
    const { role, seen, touched, skillStart, skills } = this;
    const untied = this.byKind[PROJECT_KINDS.indexOf(needs.kind)]!;
    const tiedHere = this.tiedBy.get(needs.municipalityCode);
    const requiredIds: number[] = [];
    const welcomeIds: number[] = [];
    for (const k of p.required.keys()) {
      const id = this.skillIds.get(k);
      if (id === undefined) continue;
      role[id] = 1;
      requiredIds.push(id);
    }
    for (const k of p.welcome.keys()) {
      const id = this.skillIds.get(k);
      if (id === undefined) continue;
      role[id] = 2;
      welcomeIds.push(id);
    }
    const R = p.required.size;
    const W = p.welcome.size;
    // What does not depend on the person, read once.
    const fit = INVOLVEMENT_FIT[needs.kind];
    const direct = involvementMask(fit.direct);
    const related = involvementMask(fit.related);
    const needHours = needs.hoursPerMonth;
    const prefecture = p.prefecture === null ? -2 : (this.prefectureIds.get(p.prefecture) ?? -2);
    const remoteShare = Math.floor((REMOTE * Math.min(100, Math.max(0, needs.remoteShare))) / 100);
    const municipality = this.municipalityIds.get(needs.municipalityCode) ?? -1;
    const heap = new TopK(limit);
    let touchedCount = 0;
    /** Person t's skill points for this project, from their own few skills. */
    const skillPointsOf = (t: number) => {
      let value = R * MISSING;
      for (let k = skillStart[t]!; k < skillStart[t + 1]!; k++) {
        const x = role[skills[k]!]!;
        if (x === 1) value += REQUIRED - MISSING;
        else if (x === 2) value += WELCOME;
      }
      return value;
    };
    /** Scores person t exactly (scoreValue: their skill points and the rest) and offers them, once. */
    const score = (t: number, skillPoints: number) => {
      seen[t] = 1;
      touched[touchedCount++] = t;
      let value = skillPoints;
      for (let k = this.tieStart[t]!; k < this.tieStart[t + 1]!; k++)
        if (this.tieMunicipality[k] === municipality) {
          value += this.tiePoints[k]!;
          break;
        }
      const inv = this.involvement[t]!;
      if (inv & direct) value += DIRECT;
      else if (inv & related) value += RELATED;
      const hours = this.hours[t]!;
      // availabilityPoints, inlined
      if (needHours !== null && hours >= 0)
        value += needHours <= 0 || hours >= needHours ? AVAILABILITY : Math.floor((AVAILABILITY * hours) / needHours);
      value += this.prefecture[t] === prefecture || this.onSite[t] ? REMOTE : remoteShare;
      value += this.participation[t]!;
      if (value > 0) heap.offer(t, value);
    };
    /** A list and how far it has been read. */
    type Cursor = { list: KeyedList; at: number };
    const cursors = (family: Map<number, KeyedList> | KeyedList[] | undefined, ids: number[]): Cursor[] => {
      const out: Cursor[] = [];
      if (!family) return out;
      for (const id of ids) {
        const list = family instanceof Map ? family.get(id) : family[id];
        if (list) out.push({ list, at: 0 });
      }
      return out.sort((a, b) => a.list.people.length - b.list.people.length);
    };
    /**
     * Reads a list on while someone of it can still reach the floor with `points` of skills; a
     * person whose own skill points cannot is passed over (another list may hold them at a lower
     * level, and score them there).
     */
    const read = (c: Cursor, points: number) => {
      const { people, most } = c.list;
      let at = c.at;
      for (; at < people.length; at++) {
        const full = heap.full();
        const floor = full ? heap.floor() : 0;
        if (full && points + most[at]! < floor) break;
        const t: number = people[at]!;
        if (seen[t]) continue;
        const own = skillPointsOf(t);
        if (!full || own + most[at]! >= floor) score(t, own);
      }
      c.at = at;
    };
    const levels = [cursors(untied, requiredIds), cursors(tiedHere, requiredIds)];
    for (let r = R; r >= 1; r--) {
      const points = r * REQUIRED + (R - r) * MISSING + W * WELCOME;
      if (heap.full() && points + MOST < heap.floor()) break;
      for (const family of levels)
        for (let j = 0; j < Math.min(family.length, R - r + 1); j++) read(family[j]!, points);
    }
    // People with welcome skills only (they are on at least one welcome list).
    if (W > 0) {
      const points = R * MISSING + W * WELCOME;
      if (!heap.full() || points + MOST >= heap.floor())
        for (const family of [cursors(untied, welcomeIds), cursors(tiedHere, welcomeIds)])
          for (const c of family) read(c, points);
    }
    for (let j = 0; j < touchedCount; j++) seen[touched[j]!] = 0;
    for (const id of requiredIds) role[id] = 0;
    for (const id of welcomeIds) role[id] = 0;
    return heap.sorted();
  }
}

const involvementMask = (kinds: readonly InvolvementKind[]) =>
  kinds.reduce((mask, k) => mask | (1 << INVOLVEMENT_KINDS.indexOf(k)), 0);

/** The k best (index, score) seen, in a min-heap on (score, then lower index wins ties). */
class TopK {
  private readonly idx: number[] = [];
  private readonly val: number[] = [];
  constructor(private readonly k: number) {}
  full() {
    return this.idx.length >= this.k;
  }
  floor() {
    return this.val[0]!;
  }
  /** a ranks below b: lower score, or same score and higher index. */
  private below(i: number, j: number) {
    return this.val[i]! < this.val[j]! || (this.val[i] === this.val[j] && this.idx[i]! > this.idx[j]!);
  }
  private swap(i: number, j: number) {
    const index = this.idx[i]!;
    this.idx[i] = this.idx[j]!;
    this.idx[j] = index;
    const value = this.val[i]!;
    this.val[i] = this.val[j]!;
    this.val[j] = value;
  }
  offer(index: number, score: number) {
    if (this.full()) {
      if (score < this.val[0]! || (score === this.val[0] && index > this.idx[0]!)) return;
      this.idx[0] = index;
      this.val[0] = score;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let low = i;
        if (l < this.k && this.below(l, low)) low = l;
        if (r < this.k && this.below(r, low)) low = r;
        if (low === i) break;
        this.swap(i, low);
        i = low;
      }
      return;
    }
    this.idx.push(index);
    this.val.push(score);
    let i = this.idx.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.below(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  sorted(): Array<{ index: number; score: number }> {
    return this.idx
      .map((index, i) => ({ index, score: this.val[i]! }))
      .sort((a, b) => b.score - a.score || a.index - b.index);
  }
}

/**
 * The proposal a coordinator asks for: candidates for every open project (`candidatePairs`), the
 * production solver over them, and each proposed pair with the reasons behind its score.
 */
export function proposeAssignments(
  projects: readonly ProposalProject[],
  talents: readonly ProposalTalent[],
  options: SolveOptions = {},
): Proposal {
  const perSeat = options.pairsPerSeat ?? PAIRS_PER_SEAT;
  const atLeast = options.minPairsPerProject ?? MIN_PAIRS_PER_PROJECT;
  const pairs = candidatePairs(projects, talents, (p) => Math.max(atLeast, perSeat * p.seats));
  const solved = solveAssignment(
    {
      projects,
      talents: talents.map((t) => ({ id: t.profile.personId, capacity: t.capacity })),
      pairs,
    },
    options,
  );
  const needs = new Map(projects.map((p) => [p.id, prepareProject(p.needs)]));
  const profiles = new Map(talents.map((t) => [t.profile.personId, t.profile]));
  return {
    ...solved,
    candidatePairs: pairs.length,
    assignments: solved.assignments.map((a) => ({
      ...a,
      reasons: scoreCandidate(needs.get(a.projectId)!, profiles.get(a.talentId)!).reasons,
    })),
  };
}
