/**
 * Labels of the event and consultation vocabularies (src/shared/domain.ts) in the UI language,
 * and the Asia/Tokyo date-time helpers the event and consultation pages share. A code the UI does
 * not know (a newer server) is shown as it is rather than hidden.
 */
import {
  CASE_END_REASONS,
  CASE_STEPS,
  CONSULTATION_CHANNELS,
  CONSULTATION_TOPICS,
  DESIRED_TIMINGS,
  EVENT_KINDS,
  EVENT_STATUSES,
  FOLLOWUP_STATUSES,
  REFERRAL_AREAS,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  type CaseEndReason,
  type CaseStep,
  type ConsultationChannel,
  type ConsultationTopic,
  type DesiredTiming,
  type EventKind,
  type EventStatus,
  type FollowupStatus,
  type ReferralArea,
  type ReferralOutcome,
  type ReferralStatus,
} from '../../src/shared/domain';
import type { Area, FunnelStage } from '../../src/modules/analytics/analytics.schemas';
import {
  ACCOMPANIMENT_KINDS,
  APPLICATION_STATUSES,
  ISSUE_CATEGORIES,
  ISSUE_CLOSE_REASONS,
  ISSUE_STATUSES,
  PROJECT_ACCEPTANCE,
  PROJECT_STATUSES,
  TRAINING_KINDS,
  type IssueCategory,
  type IssueStatus,
} from '../../src/shared/matching';
import {
  MATCH_END_REASONS,
  MATCH_STEPS,
  matchTransitionProblem,
  SELF_RUNNING_EVIDENCE,
  type MatchStep,
} from '../../src/modules/matching/matching.pipeline';
import { PROJECT_KINDS, type ProjectKind, type ScoreReason } from '../../src/modules/matching/matching.scoring';

export { MATCH_END_REASONS, MATCH_STEPS, PROJECT_KINDS, SELF_RUNNING_EVIDENCE, type MatchStep, type ProjectKind };
import type { Lang, Translate } from './i18n';
import type { Option } from './components/Fields';

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/**
 * A filter read from the address bar as the API's own type: the value when it is one of `list`,
 * else undefined (no filter), so a hand-edited address cannot send a value the server refuses.
 */
export const oneOfOrNone = <T extends string>(list: readonly T[], value: string | null | undefined): T | undefined =>
  value != null && isOneOf(list, value) ? value : undefined;

/** The `open` filter of cases and referrals ("true" / "false"). */
export const OPEN_FILTER = ['true', 'false'] as const;

export const eventKindLabel = (t: Translate, v: string) =>
  isOneOf<EventKind>(EVENT_KINDS, v) ? t(`eventKind.${v}`) : v;
export const eventStatusLabel = (t: Translate, v: string) =>
  isOneOf<EventStatus>(EVENT_STATUSES, v) ? t(`eventStatus.${v}`) : v;
export const channelLabel = (t: Translate, v: string) =>
  isOneOf<ConsultationChannel>(CONSULTATION_CHANNELS, v) ? t(`channel.${v}`) : v;
export const topicLabel = (t: Translate, v: string) =>
  isOneOf<ConsultationTopic>(CONSULTATION_TOPICS, v) ? t(`topic.${v}`) : v;
export const timingLabel = (t: Translate, v: string) =>
  isOneOf<DesiredTiming>(DESIRED_TIMINGS, v) ? t(`timing.${v}`) : v;
export const caseStepLabel = (t: Translate, v: string) => (isOneOf<CaseStep>(CASE_STEPS, v) ? t(`caseStep.${v}`) : v);
export const endReasonLabel = (t: Translate, v: string) =>
  isOneOf<CaseEndReason>(CASE_END_REASONS, v) ? t(`endReason.${v}`) : v;
export const referralAreaLabel = (t: Translate, v: string) =>
  isOneOf<ReferralArea>(REFERRAL_AREAS, v) ? t(`referralArea.${v}`) : v;
export const referralStatusLabel = (t: Translate, v: string) =>
  isOneOf<ReferralStatus>(REFERRAL_STATUSES, v) ? t(`referralStatus.${v}`) : v;
export const referralOutcomeLabel = (t: Translate, v: string) =>
  isOneOf<ReferralOutcome>(REFERRAL_OUTCOMES, v) ? t(`referralOutcome.${v}`) : v;
export const followupStatusLabel = (t: Translate, v: string) =>
  isOneOf<FollowupStatus>(FOLLOWUP_STATUSES, v) ? t(`followupStatus.${v}`) : v;

/** Select options of a vocabulary, in the domain's order. */
export function optionsOf(list: readonly string[], label: (t: Translate, v: string) => string, t: Translate): Option[] {
  return list.map((value) => ({ value, label: label(t, value) }));
}

// --- Asia/Tokyo date and time ----------------------------------------------------------------------

const TOKYO_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as the value of a `datetime-local` input in Japan time (2024-06-01T13:00). */
export function toTokyoLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(TOKYO_PARTS.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * A `datetime-local` value read as Japan time, as an ISO instant with its offset
 * (2024-06-01T13:00 → 2024-06-01T13:00:00+09:00); whatever the time zone of the staff member's
 * computer, the event happens at that hour in Japan (Japan has no daylight saving time).
 */
export function fromTokyoLocalInput(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+09:00` : null;
}

/** The time of day in Japan (13:05). */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(date);
}

/** An event's date and hours in Japan: 2024年6月1日(土) 13:00〜17:00. */
export function formatEventTime(startsAt: string, endsAt: string | null | undefined, lang: Lang): string {
  const start = new Date(startsAt);
  if (Number.isNaN(start.getTime())) return startsAt;
  const locale = lang === 'ja' ? 'ja-JP' : 'en-GB';
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'Asia/Tokyo' }).format(start);
  const from = formatTime(startsAt, lang);
  if (!endsAt) return `${day} ${from}`;
  const end = new Date(endsAt);
  const sameDay = toTokyoLocalInput(startsAt).slice(0, 10) === toTokyoLocalInput(endsAt).slice(0, 10);
  const to = sameDay
    ? formatTime(endsAt, lang)
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(end);
  return `${day} ${from}${lang === 'ja' ? '〜' : '–'}${to}`;
}

/** Date-time in Japan, whatever the computer's time zone (for records made at an event). */
export function formatTokyoDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(date);
}

/** Japanese fiscal year (April–March) of a yyyy-mm-dd date: 2025-03-31 → 2024. */
export function fiscalYearOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

// --- Needs analysis -----------------------------------------------------------------------------------

/** True only when the two unions hold the same members; pins the lists below to the server's. */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const pinned = <T extends true>(value: T) => value;

/** Residence areas and funnel rungs of the needs analysis (kept in the server's analytics schemas, next to zod). */
export const AREAS = ['shutoken', 'kansai', 'chukyo', 'yamagata', 'other', 'unknown'] as const;
export const FUNNEL_STAGES = [
  'first_contact',
  'consulting',
  'visited_or_trial_stay',
  'decided',
  'moved',
  'settled',
] as const;
pinned<SameMembers<(typeof AREAS)[number], Area>>(true);
pinned<SameMembers<(typeof FUNNEL_STAGES)[number], FunnelStage>>(true);

export const areaLabel = (t: Translate, v: string) => (isOneOf<Area>(AREAS, v) ? t(`area.${v}`) : v);
export const funnelStageLabel = (t: Translate, v: string) =>
  isOneOf<FunnelStage>(FUNNEL_STAGES, v) ? t(`funnel.${v}`) : v;

// --- Punctuation as each language writes it ----------------------------------------------------------

/** 「移住（山形市）」 in Japanese, "Moved (Yamagata-shi)" in English. */
export function paren(text: string, lang: Lang): string {
  return lang === 'ja' ? `（${text}）` : ` (${text})`;
}

/** 「段階：移住」 in Japanese, "Step: Moved" in English. */
export function labelled(label: string, value: string, lang: Lang): string {
  return lang === 'ja' ? `${label}：${value}` : `${label}: ${value}`;
}

/** The separator of a short list: 「仕事・住まい」 / "Work, Housing". */
export const listSep = (lang: Lang) => (lang === 'ja' ? '・' : ', ');

// --- Matching: regional issues, projects, matches (docs/matching.md) -------------------------------

/** Factors of a candidate's score, in the order matching.scoring.ts gives them. */
export const SCORE_FACTORS = [
  'required_skills_matched',
  'required_skills_missing',
  'welcome_skills_matched',
  'municipality_tie',
  'stage',
  'involvement',
  'availability',
  'remote_fit',
  'earlier_participation',
] as const;
pinned<SameMembers<(typeof SCORE_FACTORS)[number], ScoreReason['factor']>>(true);

/** The ladder of a match as drawn (ended stands beside it). */
export const MATCH_LADDER_STEPS: readonly MatchStep[] = MATCH_STEPS.filter((s) => s !== 'ended');

/** The steps a match at `step` may take next: exactly those the pipeline's own rule allows. */
export function nextMatchSteps(step: MatchStep): MatchStep[] {
  return MATCH_STEPS.filter((to) => matchTransitionProblem(step, to) === null);
}

export const issueCategoryLabel = (t: Translate, v: string) =>
  isOneOf<IssueCategory>(ISSUE_CATEGORIES, v) ? t(`issueCategory.${v}`) : v;
export const issueStatusLabel = (t: Translate, v: string) =>
  isOneOf<IssueStatus>(ISSUE_STATUSES, v) ? t(`issueStatus.${v}`) : v;
export const issueCloseReasonLabel = (t: Translate, v: string) =>
  isOneOf<(typeof ISSUE_CLOSE_REASONS)[number]>(ISSUE_CLOSE_REASONS, v) ? t(`issueCloseReason.${v}`) : v;
export const projectKindLabel = (t: Translate, v: string) =>
  isOneOf<ProjectKind>(PROJECT_KINDS, v) ? t(`projectKind.${v}`) : v;
export const projectStatusLabel = (t: Translate, v: string) =>
  isOneOf<(typeof PROJECT_STATUSES)[number]>(PROJECT_STATUSES, v) ? t(`projectStatus.${v}`) : v;
export const projectAcceptanceLabel = (t: Translate, v: string) =>
  isOneOf<(typeof PROJECT_ACCEPTANCE)[number]>(PROJECT_ACCEPTANCE, v) ? t(`projectAcceptance.${v}`) : v;
export const applicationStatusLabel = (t: Translate, v: string) =>
  isOneOf<(typeof APPLICATION_STATUSES)[number]>(APPLICATION_STATUSES, v) ? t(`applicationStatus.${v}`) : v;
export const matchStepLabel = (t: Translate, v: string) =>
  isOneOf<MatchStep>(MATCH_STEPS, v) ? t(`matchStep.${v}`) : v;
export const matchEndReasonLabel = (t: Translate, v: string) =>
  isOneOf<(typeof MATCH_END_REASONS)[number]>(MATCH_END_REASONS, v) ? t(`matchEndReason.${v}`) : v;
export const selfRunningEvidenceLabel = (t: Translate, v: string) =>
  isOneOf<(typeof SELF_RUNNING_EVIDENCE)[number]>(SELF_RUNNING_EVIDENCE, v) ? t(`selfRunningEvidence.${v}`) : v;
export const accompanimentKindLabel = (t: Translate, v: string) =>
  isOneOf<(typeof ACCOMPANIMENT_KINDS)[number]>(ACCOMPANIMENT_KINDS, v) ? t(`accompanimentKind.${v}`) : v;
export const trainingKindLabel = (t: Translate, v: string) =>
  isOneOf<(typeof TRAINING_KINDS)[number]>(TRAINING_KINDS, v) ? t(`trainingKind.${v}`) : v;
export const scoreFactorLabel = (t: Translate, v: string) =>
  isOneOf<(typeof SCORE_FACTORS)[number]>(SCORE_FACTORS, v) ? t(`factor.${v}`) : v;

/** Skills typed as one line: split at commas and 読点, trimmed, empties and repeats dropped. */
export function splitSkills(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,、，\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
