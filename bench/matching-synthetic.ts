/**
 * Synthetic matching data for bench/matching.ts, deterministic from a seed: ~200 skills with
 * Zipf-like popularity, talents with 3–8 skills, 1–3 municipality ties (links and a stage), stated
 * involvement and hours; projects with 1–5 seats, 1–3 required and 0–3 welcome skills.
 */
import {
  INVOLVEMENT_KINDS,
  type InvolvementKind,
  LINK_KINDS,
  type LinkKind,
  STAGES,
  type Stage,
} from '../src/shared/domain.js';
import { PROJECT_KINDS, type ProposalProject, type ProposalTalent } from '../src/modules/matching/index.js';
import { seededRandom } from './lib/synthetic.js';

const NAMED = [
  'デザイン',
  'Python',
  'JavaScript',
  '農業',
  '写真',
  '経理',
  'マーケティング',
  '動画編集',
  '英語',
  '中国語',
  '広報',
  'SNS運用',
  'Webサイト制作',
  'データ分析',
  '営業',
  '企画',
  'イベント運営',
  '料理',
  '木工',
  '看護',
  '介護',
  '保育',
  '教育',
  'コーチング',
  '翻訳',
  'ライティング',
  '編集',
  'イラスト',
  '建築',
  '不動産',
  '法務',
  '税務',
  '人事',
  '財務',
  'IT導入支援',
  'ドローン',
  'EC運営',
  '観光ガイド',
  '林業',
  '漁業',
];
export const SKILL_POOL: string[] = [
  ...NAMED,
  ...Array.from({ length: 200 - NAMED.length }, (_, i) => `専門スキル${i + 1}`),
];

type Rng = () => number;
const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
function zipfPicker(r: Rng, n: number, s = 0.6): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** s;
    cumulative.push(total);
  }
  return () => {
    const x = r() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
function distinct<T>(count: number, pick: () => T): T[] {
  const out = new Set<T>();
  for (let guard = 0; out.size < count && guard < count * 20; guard++) out.add(pick());
  return [...out];
}
const RESIDENCE = [
  '東京都',
  '東京都',
  '東京都',
  '神奈川県',
  '埼玉県',
  '千葉県',
  '大阪府',
  '宮城県',
  '山形県',
  '山形県',
];

export function syntheticTalents(count: number, codes: readonly string[], seed = 11): ProposalTalent[] {
  const r = seededRandom(seed);
  const skill = zipfPicker(r, SKILL_POOL.length);
  const place = zipfPicker(r, codes.length, 0.7);
  return Array.from({ length: count }, (_, i) => {
    const ties = distinct(int(r, 1, 3), place).map((c) => ({
      municipalityCode: codes[c]!,
      links: distinct(int(r, 1, 2), () => LINK_KINDS[int(r, 0, 2)]!) as LinkKind[],
      stage: (r() < 0.2 ? null : STAGES[Math.min(int(r, 0, 4), int(r, 0, 6))]!) as Stage | null,
    }));
    return {
      capacity: r() < 0.85 ? 1 : 2,
      profile: {
        personId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        skills: distinct(int(r, 3, 8), () => SKILL_POOL[skill()]!),
        involvement: distinct(
          int(r, 1, 3),
          () => INVOLVEMENT_KINDS[int(r, 0, INVOLVEMENT_KINDS.length - 1)]!,
        ) as InvolvementKind[],
        hoursPerMonth: r() < 0.2 ? null : int(r, 2, 40),
        prefecture: RESIDENCE[int(r, 0, RESIDENCE.length - 1)]!,
        ties,
        earlierParticipations: r() < 0.7 ? 0 : int(r, 1, 4),
      },
    };
  });
}

export function syntheticProjects(count: number, codes: readonly string[], seed = 7): ProposalProject[] {
  const r = seededRandom(seed);
  const skill = zipfPicker(r, SKILL_POOL.length);
  const place = zipfPicker(r, codes.length, 0.7);
  return Array.from({ length: count }, (_, i) => {
    const skills = distinct(int(r, 1, 6), () => SKILL_POOL[skill()]!);
    const required = skills.slice(0, Math.max(1, Math.min(3, Math.ceil(skills.length / 2))));
    return {
      id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      seats: int(r, 1, 5),
      needs: {
        kind: PROJECT_KINDS[int(r, 0, PROJECT_KINDS.length - 1)]!,
        municipalityCode: codes[place()]!,
        requiredSkills: required,
        welcomeSkills: skills.slice(required.length),
        hoursPerMonth: int(r, 4, 40),
        remoteShare: [0, 25, 50, 75, 100][int(r, 0, 4)]!,
      },
    };
  });
}
