/**
 * Stage derivation: where a person stands with one municipality on the staircase
 * 関心 → 交流 → 関与 → 協働 → 二地域居住 → 移住 → 定住, derived only from their engagement records and
 * municipality links. Pure functions; the rules are written down in docs/stages.md and every rule
 * is monotone, so adding a record never lowers a stage.
 */
import { STAGES, type EngagementKind, type LinkKind, type Stage } from '../../shared/domain.js';

export type StageRecord = { municipalityCode: string; kind: EngagementKind; occurredOn: string };
export type StageLink = { municipalityCode: string; kind: LinkKind; since: string };
export type StageChange = { stage: Stage; effectiveOn: string };
export type MunicipalityStage = { municipalityCode: string; stage: Stage; since: string; history: StageChange[] };

/** Kinds that mean the person took part in something, in person or online. */
export const PARTICIPATION: ReadonlySet<EngagementKind> = new Set([
  'event',
  'visit',
  'online',
  'volunteering',
  'side_job',
]);
/** Kinds that show a continuing relationship when they recur across fiscal years. */
export const CONTINUING: ReadonlySet<EngagementKind> = new Set([
  'event',
  'visit',
  'online',
  'volunteering',
  'side_job',
  'donation',
  'public_comment',
]);
/** 定住: a move counts as settled after this many days without the record saying otherwise. */
export const SETTLED_AFTER_DAYS = 365;

const rank = (s: Stage) => STAGES.indexOf(s);

/** Japanese fiscal year (April–March) of an ISO date: 2025-03-31 → 2024, 2025-04-01 → 2025. */
export function fiscalYearOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The stage reached with exactly these records and links (all dated on or before the evaluation date). */
export function stageOf(records: readonly StageRecord[], links: readonly StageLink[], asOf: string): Stage | null {
  const kinds = new Set(records.map((r) => r.kind));
  const moveDates = [
    ...records.filter((r) => r.kind === 'moved_in').map((r) => r.occurredOn),
    ...links.filter((l) => l.kind === 'moved_in').map((l) => l.since),
  ].sort();
  const firstMove = moveDates[0];
  if (firstMove) return addDays(firstMove, SETTLED_AFTER_DAYS) <= asOf ? 'settled' : 'migrated';
  if (kinds.has('two_region_living')) return 'two_region';
  if (kinds.has('side_job')) return 'collaboration';
  const continuingYears = new Set(records.filter((r) => CONTINUING.has(r.kind)).map((r) => fiscalYearOf(r.occurredOn)));
  if (kinds.has('volunteering') || continuingYears.size >= 2) return 'involvement';
  if (records.some((r) => PARTICIPATION.has(r.kind))) return 'exchange';
  if (records.length > 0 || links.length > 0) return 'interest';
  return null;
}

/**
 * The stage history with one municipality: each change with the date it took effect. Evaluated
 * at every date a record or link appears, plus the date a move becomes 定住.
 */
export function stageHistory(
  records: readonly StageRecord[],
  links: readonly StageLink[],
  asOf: string,
): StageChange[] {
  const dates = new Set<string>();
  for (const r of records) if (r.occurredOn <= asOf) dates.add(r.occurredOn);
  for (const l of links) if (l.since <= asOf) dates.add(l.since);
  for (const d of [...dates]) {
    const settledOn = addDays(d, SETTLED_AFTER_DAYS);
    if (settledOn <= asOf) dates.add(settledOn);
  }
  const history: StageChange[] = [];
  for (const date of [...dates].sort()) {
    const stage = stageOf(
      records.filter((r) => r.occurredOn <= date),
      links.filter((l) => l.since <= date),
      date,
    );
    const last = history[history.length - 1];
    if (stage && (!last || rank(stage) > rank(last.stage))) history.push({ stage, effectiveOn: date });
  }
  return history;
}

/** Current stage and history per municipality the person has records or links with. */
export function deriveStages(
  records: readonly StageRecord[],
  links: readonly StageLink[],
  asOf: string,
): MunicipalityStage[] {
  const codes = [
    ...new Set([...records.map((r) => r.municipalityCode), ...links.map((l) => l.municipalityCode)]),
  ].sort();
  const result: MunicipalityStage[] = [];
  for (const code of codes) {
    const history = stageHistory(
      records.filter((r) => r.municipalityCode === code),
      links.filter((l) => l.municipalityCode === code),
      asOf,
    );
    const current = history[history.length - 1];
    if (current) result.push({ municipalityCode: code, stage: current.stage, since: current.effectiveOn, history });
  }
  return result;
}
