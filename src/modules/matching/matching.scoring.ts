/**
 * How well one person fits one project, as a sum of named, explainable points — no black box.
 * Every point of a score comes from one reason the UI can say in words (`describeReason`), and the
 * weights are the named constants below, written down in docs/matching.md. Pure functions,
 * property-tested in matching.scoring.test.ts; the SQL candidate search and the proposal across all
 * projects both score with this file.
 */
import { type InvolvementKind, type LinkKind, PREFECTURES, type Stage, STAGE_LABELS_JA } from '../../shared/domain.js';
import { searchKey } from '../../shared/normalize.js';

/** What a receiving organization offers: paid side job, pro bono, volunteering, collaboration with a company. */
export const PROJECT_KINDS = ['side_job', 'pro_bono', 'volunteering', 'company_collaboration'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/** What a project asks for, independent of how projects are stored. */
export type ProjectNeeds = {
  kind: ProjectKind;
  /** Where the work happens (全国地方公共団体コード, 6 digits). */
  municipalityCode: string;
  requiredSkills: readonly string[];
  welcomeSkills: readonly string[];
  /** Hours per month the project needs from one person; null when not said. */
  hoursPerMonth: number | null;
  /** Share of the work that can be done remotely, 0–100 %. */
  remoteShare: number;
};

/** A person's tie with one municipality: their links and their stage there (docs/stages.md). */
export type TalentTie = { municipalityCode: string; links: readonly LinkKind[]; stage: Stage | null };

/** What is known of a person for matching, independent of how profiles are stored. */
export type TalentProfile = {
  personId: string;
  skills: readonly string[];
  /**
   * The skills' keys as `supporter_profiles.skill_keys` holds them (`skillKey` of each, no empty
   * ones); derived from `skills` when absent. Readers of the stored column pass it: normalizing
   * every skill of every person read was a millisecond of each candidates search.
   */
  skillKeys?: readonly string[];
  involvement: readonly InvolvementKind[];
  /** Hours per month they can give; null when not said. */
  hoursPerMonth: number | null;
  /** Prefecture they live in (people.prefecture), null when unknown. */
  prefecture: string | null;
  ties: readonly TalentTie[];
  /** Earlier side jobs and volunteering recorded for them, anywhere (engagement records). */
  earlierParticipations: number;
};

// --- Weights (docs/matching.md) -----------------------------------------------------------------

/** Per required skill the person has. */
export const REQUIRED_SKILL_POINTS = 20;
/** Per required skill the person lacks (negative: a project that needs it loses by its absence). */
export const MISSING_REQUIRED_SKILL_POINTS = -10;
/** Per welcome skill the person has. */
export const WELCOME_SKILL_POINTS = 6;
/** The strongest link with the project's municipality. */
export const LINK_POINTS: Readonly<Record<LinkKind, number>> = { roots: 10, moved_in: 10, supporter: 8, interest: 5 };
/** The person's stage with the project's municipality (higher on the staircase, more points). */
export const STAGE_POINTS: Readonly<Record<Stage, number>> = {
  interest: 0,
  exchange: 3,
  involvement: 6,
  collaboration: 9,
  two_region: 12,
  migrated: 12,
  settled: 12,
};
/** A stated way of involvement that is the project's kind itself, or a neighbour of it. */
export const INVOLVEMENT_DIRECT_POINTS = 12;
export const INVOLVEMENT_RELATED_POINTS = 6;
/** Which stated ways of involvement fit which project kind. */
export const INVOLVEMENT_FIT: Readonly<
  Record<ProjectKind, { direct: readonly InvolvementKind[]; related: readonly InvolvementKind[] }>
> = {
  side_job: { direct: ['side_job'], related: ['pro_bono', 'online'] },
  pro_bono: { direct: ['pro_bono'], related: ['side_job', 'volunteering'] },
  volunteering: { direct: ['volunteering'], related: ['events', 'visits'] },
  company_collaboration: { direct: ['side_job', 'pro_bono'], related: ['online', 'events'] },
};
/** All of it when the person's hours cover the project's, in proportion (rounded down) otherwise. */
export const AVAILABILITY_POINTS = 10;
/** All of it when nearby or willing to come; otherwise only the remote share of it (rounded down). */
export const REMOTE_FIT_POINTS = 8;
/** Per earlier side job or volunteering, up to EARLIER_PARTICIPATION_MAX of them. */
export const EARLIER_PARTICIPATION_POINTS = 3;
export const EARLIER_PARTICIPATION_MAX = 3;
/** Ways of involvement that say the person is willing to come on site. */
export const ON_SITE_WISHES: readonly InvolvementKind[] = ['visits', 'two_region_living', 'considering_move'];

/** The most a tie with the project's municipality can add (strongest link + highest stage). */
export const MAX_TIE_POINTS = Math.max(...Object.values(LINK_POINTS)) + Math.max(...Object.values(STAGE_POINTS));
/**
 * The most the factors a supporter profile row does not hold can add apart from the tie: remote
 * fit (needs the residence) and earlier participation (needs the engagement records).
 */
export const MAX_OFF_PROFILE_POINTS = REMOTE_FIT_POINTS + EARLIER_PARTICIPATION_POINTS * EARLIER_PARTICIPATION_MAX;
/** The most any factor other than skills can add: bounds the pruning of candidate searches. */
export const MAX_NON_SKILL_POINTS =
  MAX_TIE_POINTS + INVOLVEMENT_DIRECT_POINTS + AVAILABILITY_POINTS + MAX_OFF_PROFILE_POINTS;

// --- Reasons ------------------------------------------------------------------------------------

export type RemoteWish = 'on_site' | 'online' | 'none';

export type ScoreReason =
  | { factor: 'required_skills_matched'; points: number; detail: { skills: string[] } }
  | { factor: 'required_skills_missing'; points: number; detail: { skills: string[] } }
  | { factor: 'welcome_skills_matched'; points: number; detail: { skills: string[] } }
  | { factor: 'municipality_tie'; points: number; detail: { municipalityCode: string; links: LinkKind[] } }
  | { factor: 'stage'; points: number; detail: { municipalityCode: string; stage: Stage } }
  | {
      factor: 'involvement';
      points: number;
      detail: { projectKind: ProjectKind; fit: 'direct' | 'related'; involvement: InvolvementKind[] };
    }
  | { factor: 'availability'; points: number; detail: { talentHours: number; projectHours: number } }
  | {
      factor: 'remote_fit';
      points: number;
      detail: { remoteShare: number; nearby: boolean; wish: RemoteWish };
    }
  | { factor: 'earlier_participation'; points: number; detail: { count: number } };

export type ScoreFactor = ScoreReason['factor'];
export type Score = { score: number; reasons: ScoreReason[] };

/** How skills are compared: ﾃﾞｻﾞｲﾝ, デザイン and でざいん, or Python and ｐｙｔｈｏｎ, are one skill. */
export const skillKey = (skill: string): string => searchKey(skill);

/** Prefecture of a municipality from the first two digits of its code (JIS X 0401). */
export function prefectureOfMunicipality(code: string): string | null {
  return PREFECTURES[Number(code.slice(0, 2)) - 1] ?? null;
}

/** A project's needs read once, so that scoring many people against it does no repeated work. */
export type PreparedProject = {
  needs: ProjectNeeds;
  /** Skill key → the name as the project wrote it. A skill both required and welcome counts as required. */
  required: Map<string, string>;
  welcome: Map<string, string>;
  prefecture: string | null;
};

export function prepareProject(needs: ProjectNeeds): PreparedProject {
  const required = new Map<string, string>();
  for (const s of needs.requiredSkills) {
    const k = skillKey(s);
    if (k && !required.has(k)) required.set(k, s);
  }
  const welcome = new Map<string, string>();
  for (const s of needs.welcomeSkills) {
    const k = skillKey(s);
    if (k && !required.has(k) && !welcome.has(k)) welcome.set(k, s);
  }
  return { needs, required, welcome, prefecture: prefectureOfMunicipality(needs.municipalityCode) };
}

/** A person's profile read once: their skill keys. */
export type PreparedTalent = { talent: TalentProfile; skillKeys: Set<string> };

export function prepareTalent(talent: TalentProfile): PreparedTalent {
  return { talent, skillKeys: new Set(talent.skillKeys ?? talent.skills.map(skillKey).filter((k) => k.length > 0)) };
}

export function strongestLink(links: readonly LinkKind[]): number {
  let best = 0;
  for (const l of links) best = Math.max(best, LINK_POINTS[l] ?? 0);
  return best;
}

function remoteFit(
  project: PreparedProject,
  talent: TalentProfile,
): { points: number; nearby: boolean; wish: RemoteWish } {
  const nearby = project.prefecture !== null && talent.prefecture === project.prefecture;
  const wish: RemoteWish = talent.involvement.some((i) => ON_SITE_WISHES.includes(i))
    ? 'on_site'
    : talent.involvement.includes('online')
      ? 'online'
      : 'none';
  const share = Math.min(100, Math.max(0, project.needs.remoteShare));
  const points = nearby || wish === 'on_site' ? REMOTE_FIT_POINTS : Math.floor((REMOTE_FIT_POINTS * share) / 100);
  return { points, nearby, wish };
}

export function availabilityPoints(talentHours: number, projectHours: number): number {
  if (projectHours <= 0 || talentHours >= projectHours) return AVAILABILITY_POINTS;
  return Math.floor((AVAILABILITY_POINTS * Math.max(0, talentHours)) / projectHours);
}

/**
 * The score of one person for one project and the reasons behind it; the score is exactly the sum
 * of the reasons' points. Only factors that add or take points are listed.
 */
export function scoreCandidate(project: ProjectNeeds | PreparedProject, talent: TalentProfile | PreparedTalent): Score {
  const p = 'required' in project ? project : prepareProject(project);
  const t = 'talent' in talent ? talent : prepareTalent(talent);
  const profile = t.talent;
  const reasons: ScoreReason[] = [];
  const matched: string[] = [];
  const missing: string[] = [];
  for (const [k, name] of p.required) (t.skillKeys.has(k) ? matched : missing).push(name);
  if (matched.length)
    reasons.push({
      factor: 'required_skills_matched',
      points: matched.length * REQUIRED_SKILL_POINTS,
      detail: { skills: matched },
    });
  if (missing.length)
    reasons.push({
      factor: 'required_skills_missing',
      points: missing.length * MISSING_REQUIRED_SKILL_POINTS,
      detail: { skills: missing },
    });
  const welcome = [...p.welcome].filter(([k]) => t.skillKeys.has(k)).map(([, name]) => name);
  if (welcome.length)
    reasons.push({
      factor: 'welcome_skills_matched',
      points: welcome.length * WELCOME_SKILL_POINTS,
      detail: { skills: welcome },
    });

  const code = p.needs.municipalityCode;
  const tie = profile.ties.find((x) => x.municipalityCode === code);
  if (tie) {
    const linkPoints = strongestLink(tie.links);
    if (linkPoints)
      reasons.push({
        factor: 'municipality_tie',
        points: linkPoints,
        detail: { municipalityCode: code, links: [...tie.links].sort() },
      });
    if (tie.stage && STAGE_POINTS[tie.stage])
      reasons.push({
        factor: 'stage',
        points: STAGE_POINTS[tie.stage],
        detail: { municipalityCode: code, stage: tie.stage },
      });
  }

  const fit = INVOLVEMENT_FIT[p.needs.kind];
  const direct = profile.involvement.filter((i) => fit.direct.includes(i));
  const related = profile.involvement.filter((i) => fit.related.includes(i));
  if (direct.length)
    reasons.push({
      factor: 'involvement',
      points: INVOLVEMENT_DIRECT_POINTS,
      detail: { projectKind: p.needs.kind, fit: 'direct', involvement: direct },
    });
  else if (related.length)
    reasons.push({
      factor: 'involvement',
      points: INVOLVEMENT_RELATED_POINTS,
      detail: { projectKind: p.needs.kind, fit: 'related', involvement: related },
    });

  if (p.needs.hoursPerMonth !== null && profile.hoursPerMonth !== null) {
    const points = availabilityPoints(profile.hoursPerMonth, p.needs.hoursPerMonth);
    if (points)
      reasons.push({
        factor: 'availability',
        points,
        detail: { talentHours: profile.hoursPerMonth, projectHours: p.needs.hoursPerMonth },
      });
  }

  const remote = remoteFit(p, profile);
  if (remote.points)
    reasons.push({
      factor: 'remote_fit',
      points: remote.points,
      detail: { remoteShare: p.needs.remoteShare, nearby: remote.nearby, wish: remote.wish },
    });

  const count = Math.max(0, Math.floor(profile.earlierParticipations));
  if (count)
    reasons.push({
      factor: 'earlier_participation',
      points: Math.min(count, EARLIER_PARTICIPATION_MAX) * EARLIER_PARTICIPATION_POINTS,
      detail: { count },
    });

  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

/**
 * The same number as `scoreCandidate(...).score` without building the reasons: what the proposal
 * across all projects uses to rank millions of pairs. Equality with scoreCandidate is property-tested.
 */
export function scoreValue(p: PreparedProject, t: PreparedTalent): number {
  const profile = t.talent;
  let score = 0;
  for (const k of p.required.keys())
    score += t.skillKeys.has(k) ? REQUIRED_SKILL_POINTS : MISSING_REQUIRED_SKILL_POINTS;
  for (const k of p.welcome.keys()) if (t.skillKeys.has(k)) score += WELCOME_SKILL_POINTS;
  return score + nonSkillValue(p, profile);
}

/** The points of every factor but skills (between 0 and MAX_NON_SKILL_POINTS). */
export function nonSkillValue(p: PreparedProject, profile: TalentProfile): number {
  let score = 0;
  const code = p.needs.municipalityCode;
  for (const tie of profile.ties) {
    if (tie.municipalityCode !== code) continue;
    score += strongestLink(tie.links) + (tie.stage ? STAGE_POINTS[tie.stage] : 0);
    break;
  }
  const fit = INVOLVEMENT_FIT[p.needs.kind];
  if (profile.involvement.some((i) => fit.direct.includes(i))) score += INVOLVEMENT_DIRECT_POINTS;
  else if (profile.involvement.some((i) => fit.related.includes(i))) score += INVOLVEMENT_RELATED_POINTS;
  if (p.needs.hoursPerMonth !== null && profile.hoursPerMonth !== null)
    score += availabilityPoints(profile.hoursPerMonth, p.needs.hoursPerMonth);
  score += remoteFit(p, profile).points;
  const count = Math.max(0, Math.floor(profile.earlierParticipations));
  return score + Math.min(count, EARLIER_PARTICIPATION_MAX) * EARLIER_PARTICIPATION_POINTS;
}

/** The skill part of a score alone: what a candidate search ranks by before the other factors. */
export function skillValue(p: PreparedProject, skillKeys: ReadonlySet<string>): number {
  let score = 0;
  for (const k of p.required.keys()) score += skillKeys.has(k) ? REQUIRED_SKILL_POINTS : MISSING_REQUIRED_SKILL_POINTS;
  for (const k of p.welcome.keys()) if (skillKeys.has(k)) score += WELCOME_SKILL_POINTS;
  return score;
}

/** The points of the stated way of involvement alone (0, INVOLVEMENT_RELATED_POINTS or INVOLVEMENT_DIRECT_POINTS). */
export function involvementValue(kind: ProjectKind, involvement: readonly InvolvementKind[]): number {
  const fit = INVOLVEMENT_FIT[kind];
  if (involvement.some((i) => fit.direct.includes(i))) return INVOLVEMENT_DIRECT_POINTS;
  if (involvement.some((i) => fit.related.includes(i))) return INVOLVEMENT_RELATED_POINTS;
  return 0;
}

/** The least remote fit can give someone with these ways of involvement (their residence unknown). */
export function minRemoteFit(p: PreparedProject, involvement: readonly InvolvementKind[]): number {
  if (involvement.some((i) => ON_SITE_WISHES.includes(i))) return REMOTE_FIT_POINTS;
  return Math.floor((REMOTE_FIT_POINTS * Math.min(100, Math.max(0, p.needs.remoteShare))) / 100);
}

/** Skills, involvement and availability: the part of a score the profile row gives exactly. */
function profileRowValue(
  p: PreparedProject,
  row: { skillKeys: ReadonlySet<string>; involvement: readonly InvolvementKind[]; hoursPerMonth: number | null },
): number {
  const hours =
    p.needs.hoursPerMonth !== null && row.hoursPerMonth !== null
      ? availabilityPoints(row.hoursPerMonth, p.needs.hoursPerMonth)
      : 0;
  return skillValue(p, row.skillKeys) + involvementValue(p.needs.kind, row.involvement) + hours;
}

/**
 * The least a person scores for a project knowing only their profile row: skills, involvement and
 * availability exactly, remote fit at its least, no tie, no earlier participation. Never above
 * `scoreValue` (property-tested): the SQL search takes the `limit` best by this to fix a floor.
 */
export function profileFloor(
  p: PreparedProject,
  row: { skillKeys: ReadonlySet<string>; involvement: readonly InvolvementKind[]; hoursPerMonth: number | null },
): number {
  return profileRowValue(p, row) + minRemoteFit(p, row.involvement);
}

/**
 * The most a person can score for a project knowing only their profile row (skills, stated
 * involvement, hours) and whether they have any tie with the project's municipality: skills,
 * involvement and availability exactly, remote fit and earlier participation at their most, and
 * the tie at its most when there is one. Never below `scoreValue` (property-tested): the SQL
 * candidate search computes the same bound to read only the people who can still enter the list.
 */
export function profileBound(
  p: PreparedProject,
  row: { skillKeys: ReadonlySet<string>; involvement: readonly InvolvementKind[]; hoursPerMonth: number | null },
  tied: boolean,
): number {
  return profileRowValue(p, row) + MAX_OFF_PROFILE_POINTS + (tied ? MAX_TIE_POINTS : 0);
}

// --- Words ----------------------------------------------------------------------------------------

export type ReasonLocale = 'ja' | 'en';
export type DescribeOptions = { municipalityName?: (code: string) => string | undefined };

const LINK_WORDS: Record<ReasonLocale, Record<LinkKind, string>> = {
  ja: { roots: 'ゆかり', interest: '関心', supporter: 'ふるさと住民票', moved_in: '移住' },
  en: { roots: 'roots', interest: 'interest', supporter: 'registered supporter', moved_in: 'moved in' },
};
const STAGE_EN: Record<Stage, string> = {
  interest: 'interest',
  exchange: 'exchange',
  involvement: 'involvement',
  collaboration: 'collaboration',
  two_region: 'two-region living',
  migrated: 'migrated',
  settled: 'settled',
};
const KIND_WORDS: Record<ReasonLocale, Record<ProjectKind, string>> = {
  ja: {
    side_job: '副業・兼業',
    pro_bono: 'プロボノ',
    volunteering: 'ボランティア',
    company_collaboration: '企業との協働',
  },
  en: {
    side_job: 'side job',
    pro_bono: 'pro bono',
    volunteering: 'volunteering',
    company_collaboration: 'company collaboration',
  },
};
const INVOLVEMENT_WORDS: Record<ReasonLocale, Record<InvolvementKind, string>> = {
  ja: {
    online: 'オンライン',
    visits: '訪問',
    events: 'イベント参加',
    side_job: '副業・兼業',
    pro_bono: 'プロボノ',
    volunteering: 'ボランティア',
    two_region_living: '二地域居住',
    considering_move: '移住検討',
  },
  en: {
    online: 'online',
    visits: 'visiting',
    events: 'events',
    side_job: 'side job',
    pro_bono: 'pro bono',
    volunteering: 'volunteering',
    two_region_living: 'two-region living',
    considering_move: 'considering a move',
  },
};

const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/** One reason in words, with its points: what the candidate list and the proposal show. */
export function describeReason(reason: ScoreReason, locale: ReasonLocale, options: DescribeOptions = {}): string {
  const ja = locale === 'ja';
  const place = (code: string) => options.municipalityName?.(code) ?? code;
  const list = (items: readonly string[]) => items.join(ja ? '、' : ', ');
  const pts = ja ? `（${signed(reason.points)}点）` : ` (${signed(reason.points)})`;
  switch (reason.factor) {
    case 'required_skills_matched':
      return (
        (ja ? `必須スキルあり: ${list(reason.detail.skills)}` : `Has required skills: ${list(reason.detail.skills)}`) +
        pts
      );
    case 'required_skills_missing':
      return (
        (ja
          ? `必須スキルなし: ${list(reason.detail.skills)}`
          : `Lacks required skills: ${list(reason.detail.skills)}`) + pts
      );
    case 'welcome_skills_matched':
      return (
        (ja ? `歓迎スキルあり: ${list(reason.detail.skills)}` : `Has welcome skills: ${list(reason.detail.skills)}`) +
        pts
      );
    case 'municipality_tie': {
      const links = list(reason.detail.links.map((l) => LINK_WORDS[locale][l]));
      return (
        (ja
          ? `${place(reason.detail.municipalityCode)}とのつながり: ${links}`
          : `Tie with ${place(reason.detail.municipalityCode)}: ${links}`) + pts
      );
    }
    case 'stage':
      return (
        (ja
          ? `${place(reason.detail.municipalityCode)}との段階: ${STAGE_LABELS_JA[reason.detail.stage]}`
          : `Stage with ${place(reason.detail.municipalityCode)}: ${STAGE_EN[reason.detail.stage]}`) + pts
      );
    case 'involvement': {
      const kind = KIND_WORDS[locale][reason.detail.projectKind];
      const ways = list(reason.detail.involvement.map((i) => INVOLVEMENT_WORDS[locale][i]));
      if (reason.detail.fit === 'direct')
        return (
          (ja ? `希望する関わり方が${kind}に合う: ${ways}` : `Wants to be involved as this ${kind}: ${ways}`) + pts
        );
      return (
        (ja ? `希望する関わり方が${kind}に近い: ${ways}` : `Wants a way of involvement close to ${kind}: ${ways}`) + pts
      );
    }
    case 'availability': {
      const { talentHours, projectHours } = reason.detail;
      return (
        (ja
          ? `月${talentHours}時間まで関われる（必要 月${projectHours}時間）`
          : `Can give ${talentHours} h a month (the project needs ${projectHours} h)`) + pts
      );
    }
    case 'remote_fit': {
      const { remoteShare, nearby, wish } = reason.detail;
      const why = nearby
        ? ja
          ? '県内在住'
          : 'lives in the prefecture'
        : wish === 'on_site'
          ? ja
            ? '現地に来られる'
            : 'willing to come on site'
          : ja
            ? `リモート可能な${remoteShare}%分`
            : `the ${remoteShare}% that can be done remotely`;
      return (ja ? `リモート${remoteShare}%の働き方に合う: ${why}` : `Fits ${remoteShare}% remote work: ${why}`) + pts;
    }
    case 'earlier_participation':
      return (
        (ja
          ? `これまでの副業・ボランティア参加 ${reason.detail.count}件`
          : `${reason.detail.count} earlier side jobs or volunteering`) + pts
      );
  }
}
