/**
 * The rules that turn records into a plan's figures, as pure functions over plain records. They
 * are the reference the set-based SQL of kpi.queries.ts is tested against (kpi.rules.test.ts and
 * the integration tests compare both on random records), and they are written down with worked
 * examples in docs/kpi.md. Fiscal years run April–March in Japan time.
 */
import type { EngagementKind, LinkKind, Stage, UijType } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import type { FieldProblem } from '../../platform/errors.js';
import { PARTICIPATION, stageHistory, type StageLink, type StageRecord } from '../engagement/index.js';
import type { CreatePlanInput } from './kpi.schemas.js';

// --- Fiscal years --------------------------------------------------------------------------------

/** The fiscal year of a yyyy-mm-dd date: 2025-03-31 → 2024, 2025-04-01 → 2025. */
export function fiscalYearOfDate(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** The fiscal year of an instant, by its date in Japan: 2025-03-31T23:59+09:00 → 2024, 2025-04-01T00:00+09:00 → 2025. */
export function fiscalYearOfInstant(at: Date): number {
  return fiscalYearOfDate(todayInTokyo(at));
}

/** The first and last day of a fiscal year (inclusive, yyyy-mm-dd). */
export function fiscalYearDates(fy: number): { from: string; to: string } {
  return { from: `${String(fy).padStart(4, '0')}-04-01`, to: `${String(fy + 1).padStart(4, '0')}-03-31` };
}

/** The instants a fiscal year spans: [April 1 00:00 JST, next April 1 00:00 JST). */
export function fiscalYearInstants(fy: number): { start: Date; end: Date } {
  return {
    start: new Date(`${String(fy).padStart(4, '0')}-04-01T00:00:00+09:00`),
    end: new Date(`${String(fy + 1).padStart(4, '0')}-04-01T00:00:00+09:00`),
  };
}

export function currentFiscalYear(now: Date = new Date()): number {
  return fiscalYearOfInstant(now);
}

// --- Plans ---------------------------------------------------------------------------------------

/** What is wrong with a plan beyond its fields' own shapes, by field path (empty: nothing). */
export function planProblems(input: Omit<CreatePlanInput, 'code'>): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  const { fromFiscalYear: from, toFiscalYear: to } = input;
  if (to < from) fields.toFiscalYear = { problem: 'too_small', params: { min: from } };
  else if (to - from >= 20) fields.toFiscalYear = { problem: 'too_large', params: { max: from + 19 } };
  const inPeriod = (fy: number) => fy >= from && fy <= to;
  const seenCodes = new Set<string>();
  input.indicators.forEach((indicator, i) => {
    if (seenCodes.has(indicator.code)) fields[`indicators.${i}.code`] = { problem: 'duplicate' };
    seenCodes.add(indicator.code);
    const years = new Set<number>();
    indicator.targets.forEach((t, j) => {
      const path = `indicators.${i}.targets.${j}.fiscalYear`;
      if (!inPeriod(t.fiscalYear)) fields[path] = { problem: 'outside_plan_period', params: { from, to } };
      else if (years.has(t.fiscalYear)) fields[path] = { problem: 'duplicate' };
      years.add(t.fiscalYear);
    });
    const municipal = new Set<string>();
    indicator.municipalityTargets.forEach((t, j) => {
      const path = `indicators.${i}.municipalityTargets.${j}.fiscalYear`;
      const key = `${t.municipalityCode}/${t.fiscalYear}`;
      if (!inPeriod(t.fiscalYear)) fields[path] = { problem: 'outside_plan_period', params: { from, to } };
      else if (municipal.has(key)) fields[path] = { problem: 'duplicate' };
      municipal.add(key);
    });
  });
  return fields;
}

/**
 * What an edit of a plan may not change once the evaluation of a fiscal year is approved: the
 * approved report shows, for that year, the period's start, every indicator (label, unit,
 * baseline) and the targets summed from the first year — so those, for every year up to the last
 * approved one, stay as they were. Later years' targets (and the period's end) stay editable.
 * Answers problems by field path of `after`; empty when the edit may go ahead.
 */
export function approvedPlanProblems(
  before: Pick<CreatePlanInput, 'fromFiscalYear' | 'indicators'>,
  after: Pick<CreatePlanInput, 'fromFiscalYear' | 'indicators'>,
  lastApprovedYear: number | null,
): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  if (lastApprovedYear === null) return fields;
  const fixed: FieldProblem = { problem: 'fixed_by_approved_evaluation', params: { year: lastApprovedYear } };
  if (before.fromFiscalYear !== after.fromFiscalYear) fields.fromFiscalYear = fixed;
  const upTo = (targets: ReadonlyArray<{ fiscalYear: number; target: number; municipalityCode?: string }>) =>
    JSON.stringify(
      targets
        .filter((t) => t.fiscalYear <= lastApprovedYear)
        .map((t) => [t.municipalityCode ?? '', t.fiscalYear, t.target])
        .sort(),
    );
  const byCode = new Map(after.indicators.map((indicator, i) => [indicator.code, { indicator, i }]));
  for (const old of before.indicators) {
    const found = byCode.get(old.code);
    if (!found) {
      fields.indicators = fixed;
      continue;
    }
    const { indicator, i } = found;
    for (const key of ['labelJa', 'labelEn', 'unit', 'baseline'] as const)
      if (old[key] !== indicator[key]) fields[`indicators.${i}.${key}`] = fixed;
    if (upTo(old.targets) !== upTo(indicator.targets)) fields[`indicators.${i}.targets`] = fixed;
    if (upTo(old.municipalityTargets) !== upTo(indicator.municipalityTargets))
      fields[`indicators.${i}.municipalityTargets`] = fixed;
  }
  // An indicator added later was not in the approved report: it may come, but only from later years.
  after.indicators.forEach((indicator, i) => {
    if (!before.indicators.some((b) => b.code === indicator.code) && upTo(indicator.targets) !== '[]')
      fields[`indicators.${i}.targets`] = fixed;
  });
  return fields;
}

/**
 * A figure summed from the plan's first year to `fy`: null when any year in between has no figure
 * (an unknown year makes the sum unknown, not smaller), or when `fy` lies outside the plan.
 */
export function cumulative(
  byYear: ReadonlyMap<number, number | null>,
  plan: { fromFiscalYear: number; toFiscalYear: number },
  fy: number,
): number | null {
  if (fy < plan.fromFiscalYear || fy > plan.toFiscalYear) return null;
  let sum = 0;
  for (let year = plan.fromFiscalYear; year <= fy; year++) {
    const value = byYear.get(year);
    if (value === null || value === undefined) return null;
    sum += value;
  }
  return sum;
}

/** actual / target as a fraction; null when either is unknown or the target is 0. */
export function achievement(actual: number | null, target: number | null): number | null {
  return actual === null || target === null || target === 0 ? null : actual / target;
}

// --- ① uij_movers --------------------------------------------------------------------------------

/** A case's `moved` step: the move-in date, municipality, household size (null: recorded before it existed → 1) and type. */
export type MovedStep = {
  caseId: string;
  occurredOn: string;
  municipalityCode: string;
  householdSize: number | null;
  uijType: UijType | null;
};

/**
 * ① People who moved in during the fiscal year through the center's counters: the household sizes
 * of the `moved` steps dated in the year (a case moves once: `moved` cannot be recorded twice),
 * optionally of one move-in municipality; with the split by UIJ type (`unknown`: not recorded).
 */
export function uijMovers(
  steps: readonly MovedStep[],
  fy: number,
  municipalityCode?: string | null,
): { total: number; byType: Record<UijType | 'unknown', number> } {
  const byType = { U: 0, I: 0, J: 0, unknown: 0 };
  for (const s of steps) {
    if (fiscalYearOfDate(s.occurredOn) !== fy) continue;
    if (municipalityCode && s.municipalityCode !== municipalityCode) continue;
    byType[s.uijType ?? 'unknown'] += s.householdSize ?? 1;
  }
  return { total: byType.U + byType.I + byType.J + byType.unknown, byType };
}

// --- ② relationship_created ----------------------------------------------------------------------

/** The stages that make a person part of the relationship population the plan counts. */
export const RELATIONSHIP_STAGES: ReadonlySet<Stage> = new Set(['involvement', 'collaboration', 'two_region']);

export type PersonRecords = {
  personId: string;
  records: ReadonlyArray<{ municipalityCode: string; kind: EngagementKind; occurredOn: string }>;
  links: ReadonlyArray<{ municipalityCode: string; kind: LinkKind; since: string }>;
};

export type RelationshipEntry = { personId: string; municipalityCode: string; on: string; stage: Stage };

/**
 * When a person first stepped up into 関与, 協働 or 二地域居住 with any municipality, by the stage
 * history of docs/stages.md: the earliest such step over all municipalities (a tie goes to the
 * lowest municipality code, so each person belongs to exactly one municipality and the
 * municipalities add up to the prefecture). Null when the person never stepped into one of these
 * stages (a move before it jumps straight to 移住).
 */
export function relationshipEntry(person: PersonRecords, asOf: string): RelationshipEntry | null {
  const codes = [
    ...new Set([...person.records.map((r) => r.municipalityCode), ...person.links.map((l) => l.municipalityCode)]),
  ].sort();
  let best: RelationshipEntry | null = null;
  for (const code of codes) {
    const history = stageHistory(
      person.records.filter((r) => r.municipalityCode === code) as StageRecord[],
      person.links.filter((l) => l.municipalityCode === code) as StageLink[],
      asOf,
    );
    const step = history.find((h) => RELATIONSHIP_STAGES.has(h.stage));
    if (step && (!best || step.effectiveOn < best.on))
      best = { personId: person.personId, municipalityCode: code, on: step.effectiveOn, stage: step.stage };
  }
  return best;
}

/** ② People whose relationship entry is dated in the fiscal year (optionally: attributed to one municipality). */
export function relationshipCreated(
  people: readonly PersonRecords[],
  fy: number,
  asOf: string,
  municipalityCode?: string | null,
): RelationshipEntry[] {
  return people
    .map((p) => relationshipEntry(p, asOf))
    .filter(
      (e): e is RelationshipEntry =>
        e !== null && fiscalYearOfDate(e.on) === fy && (!municipalityCode || e.municipalityCode === municipalityCode),
    );
}

// --- ③ exchange_created --------------------------------------------------------------------------

export type EventVisitSource = {
  /** The venue's municipality; null: outside the prefecture or online. */
  venueMunicipalityCode: string | null;
  status: 'draft' | 'published' | 'cancelled';
  checkIns: ReadonlyArray<{ at: Date; status: 'registered' | 'cancelled' }>;
  headcounts: ReadonlyArray<{ countedOn: string; count: number }>;
};

/**
 * ③ Visits (延べ人数) to the prefecture in the fiscal year: checked-in registrations (by the date
 * of the check-in in Japan) plus headcounts (by their date) of events held in the prefecture. An
 * event online or outside the prefecture (no venue municipality) and an event called off count nothing.
 */
export function exchangeCreated(
  events: readonly EventVisitSource[],
  fy: number,
  municipalityCode?: string | null,
): number {
  let visits = 0;
  for (const e of events) {
    if (!e.venueMunicipalityCode || e.status === 'cancelled') continue;
    if (municipalityCode && e.venueMunicipalityCode !== municipalityCode) continue;
    for (const c of e.checkIns) if (c.status === 'registered' && fiscalYearOfInstant(c.at) === fy) visits++;
    for (const h of e.headcounts) if (fiscalYearOfDate(h.countedOn) === fy) visits += h.count;
  }
  return visits;
}

// --- continuing_participants (national example 2) ------------------------------------------------

/**
 * People with participation records (event, visit, online, volunteering, side job) in both the
 * fiscal year and the one before it — with one municipality, or with any municipality of the
 * prefecture — and their share of the previous year's participants (null when there were none).
 */
export function continuingParticipants(
  records: ReadonlyArray<{ personId: string; municipalityCode: string; kind: EngagementKind; occurredOn: string }>,
  fy: number,
  municipalityCode?: string | null,
): { count: number; previous: number; share: number | null } {
  const previous = new Set<string>();
  const current = new Set<string>();
  for (const r of records) {
    if (!PARTICIPATION.has(r.kind)) continue;
    if (municipalityCode && r.municipalityCode !== municipalityCode) continue;
    const year = fiscalYearOfDate(r.occurredOn);
    if (year === fy - 1) previous.add(r.personId);
    else if (year === fy) current.add(r.personId);
  }
  const count = [...current].filter((p) => previous.has(p)).length;
  return { count, previous: previous.size, share: previous.size ? count / previous.size : null };
}
