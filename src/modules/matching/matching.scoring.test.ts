import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVOLVEMENT_KINDS, LINK_KINDS, STAGES } from '../../shared/domain.js';
import { searchKey } from '../../shared/normalize.js';
import {
  AVAILABILITY_POINTS,
  describeReason,
  involvementValue,
  MAX_NON_SKILL_POINTS,
  MAX_TIE_POINTS,
  nonSkillValue,
  PROJECT_KINDS,
  type ProjectNeeds,
  prepareProject,
  profileBound,
  profileFloor,
  prepareTalent,
  REMOTE_FIT_POINTS,
  scoreCandidate,
  scoreValue,
  skillValue,
  type TalentProfile,
} from './matching.scoring.js';

const SKILLS = ['デザイン', 'Python', '農業', '写真', '経理', 'マーケティング', '動画編集', '英語'];
const CODES = ['062014', '062031', '062090', '131016'];
const skill = fc.constantFrom(...SKILLS);

const project: fc.Arbitrary<ProjectNeeds> = fc.record({
  kind: fc.constantFrom(...PROJECT_KINDS),
  municipalityCode: fc.constantFrom(...CODES),
  requiredSkills: fc.uniqueArray(skill, { maxLength: 4 }),
  welcomeSkills: fc.uniqueArray(skill, { maxLength: 4 }),
  hoursPerMonth: fc.option(fc.integer({ min: 1, max: 80 }), { nil: null }),
  remoteShare: fc.integer({ min: 0, max: 100 }),
});
const talent: fc.Arbitrary<TalentProfile> = fc.record({
  personId: fc.uuid(),
  skills: fc.uniqueArray(skill, { maxLength: 6 }),
  involvement: fc.uniqueArray(fc.constantFrom(...INVOLVEMENT_KINDS)),
  hoursPerMonth: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  prefecture: fc.option(fc.constantFrom('山形県', '東京都', '宮城県'), { nil: null }),
  ties: fc.uniqueArray(
    fc.record({
      municipalityCode: fc.constantFrom(...CODES),
      links: fc.uniqueArray(fc.constantFrom(...LINK_KINDS), { maxLength: 4 }),
      stage: fc.option(fc.constantFrom(...STAGES), { nil: null }),
    }),
    { selector: (t) => t.municipalityCode, maxLength: 3 },
  ),
  earlierParticipations: fc.integer({ min: 0, max: 6 }),
});

const base: ProjectNeeds = {
  kind: 'side_job',
  municipalityCode: '062014',
  requiredSkills: ['デザイン', 'Python'],
  welcomeSkills: ['写真'],
  hoursPerMonth: 20,
  remoteShare: 50,
};
const person: TalentProfile = {
  personId: 'p1',
  skills: ['ﾃﾞｻﾞｲﾝ', '写真'],
  involvement: ['side_job', 'online'],
  hoursPerMonth: 10,
  prefecture: '東京都',
  ties: [{ municipalityCode: '062014', links: ['roots', 'supporter'], stage: 'involvement' }],
  earlierParticipations: 1,
};

describe('scoreCandidate (docs/matching.md)', () => {
  it('explains every point: skills matched and missing, tie, stage, involvement, hours, remote, earlier work', () => {
    const { score, reasons } = scoreCandidate(base, person);
    expect(reasons).toEqual([
      { factor: 'required_skills_matched', points: 20, detail: { skills: ['デザイン'] } },
      { factor: 'required_skills_missing', points: -10, detail: { skills: ['Python'] } },
      { factor: 'welcome_skills_matched', points: 6, detail: { skills: ['写真'] } },
      { factor: 'municipality_tie', points: 10, detail: { municipalityCode: '062014', links: ['roots', 'supporter'] } },
      { factor: 'stage', points: 6, detail: { municipalityCode: '062014', stage: 'involvement' } },
      {
        factor: 'involvement',
        points: 12,
        detail: { projectKind: 'side_job', fit: 'direct', involvement: ['side_job'] },
      },
      { factor: 'availability', points: 5, detail: { talentHours: 10, projectHours: 20 } },
      { factor: 'remote_fit', points: 4, detail: { remoteShare: 50, nearby: false, wish: 'online' } },
      { factor: 'earlier_participation', points: 3, detail: { count: 1 } },
    ]);
    expect(score).toBe(56);
  });

  it('gives full remote fit to someone living in the prefecture or willing to come', () => {
    const nearby = scoreCandidate(base, { ...person, prefecture: '山形県' }).reasons.find(
      (r) => r.factor === 'remote_fit',
    );
    expect(nearby).toEqual({
      factor: 'remote_fit',
      points: REMOTE_FIT_POINTS,
      detail: { remoteShare: 50, nearby: true, wish: 'online' },
    });
    const willing = scoreCandidate(base, { ...person, involvement: ['visits'] }).reasons.find(
      (r) => r.factor === 'remote_fit',
    );
    expect(willing?.points).toBe(REMOTE_FIT_POINTS);
    const enough = scoreCandidate(base, { ...person, hoursPerMonth: 40 }).reasons.find(
      (r) => r.factor === 'availability',
    );
    expect(enough?.points).toBe(AVAILABILITY_POINTS);
  });

  it('says every reason in Japanese and English', () => {
    const { reasons } = scoreCandidate(base, person);
    const name = (code: string) => (code === '062014' ? '山形市' : undefined);
    const ja = reasons.map((r) => describeReason(r, 'ja', { municipalityName: name }));
    const en = reasons.map((r) => describeReason(r, 'en'));
    expect(ja[0]).toBe('必須スキルあり: デザイン（+20点）');
    expect(ja[1]).toBe('必須スキルなし: Python（-10点）');
    expect(ja[3]).toBe('山形市とのつながり: ゆかり、ふるさと住民票（+10点）');
    expect(ja[4]).toBe('山形市との段階: 関与（+6点）');
    expect(en[4]).toBe('Stage with 062014: involvement (+6)');
    expect(en[6]).toBe('Can give 10 h a month (the project needs 20 h) (+5)');
    for (const text of [...ja, ...en]) expect(text).not.toMatch(/undefined|\[object/);
  });

  it('property: the score is the sum of the reasons, and scoreValue gives the same number', () => {
    fc.assert(
      fc.property(project, talent, (p, t) => {
        const { score, reasons } = scoreCandidate(p, t);
        expect(score).toBe(reasons.reduce((s, r) => s + r.points, 0));
        for (const r of reasons) expect(r.points).not.toBe(0);
        const pp = prepareProject(p);
        const pt = prepareTalent(t);
        expect(scoreValue(pp, pt)).toBe(score);
        expect(skillValue(pp, pt.skillKeys) + nonSkillValue(pp, t)).toBe(score);
        const other = nonSkillValue(pp, t);
        expect(other).toBeGreaterThanOrEqual(0);
        expect(other).toBeLessThanOrEqual(MAX_NON_SKILL_POINTS);
      }),
    );
  });

  it('property: the profile-row bounds the SQL search prunes by hold the score between them', () => {
    fc.assert(
      fc.property(project, talent, (p, t) => {
        const pp = prepareProject(p);
        const pt = prepareTalent(t);
        const tied = t.ties.some((x) => x.municipalityCode === p.municipalityCode);
        const row = { skillKeys: pt.skillKeys, involvement: t.involvement, hoursPerMonth: t.hoursPerMonth };
        expect(profileBound(pp, row, tied)).toBeGreaterThanOrEqual(scoreValue(pp, pt));
        expect(profileFloor(pp, row)).toBeLessThanOrEqual(scoreValue(pp, pt));
        // The untied bound holds for anyone without a tie; the tied one adds exactly the tie's most.
        expect(profileBound(pp, row, true) - profileBound(pp, row, false)).toBe(MAX_TIE_POINTS);
        expect(involvementValue(p.kind, t.involvement)).toBe(
          scoreCandidate(p, t).reasons.find((r) => r.factor === 'involvement')?.points ?? 0,
        );
      }),
    );
  });

  it('property: adding a skill the project asks for never lowers the score (any skill, in fact)', () => {
    fc.assert(
      fc.property(project, talent, fc.boolean(), skill, (p, t, fromProject, extra) => {
        const wanted = [...p.requiredSkills, ...p.welcomeSkills];
        const added = fromProject && wanted.length ? wanted[extra.length % wanted.length]! : extra;
        const before = scoreCandidate(p, t).score;
        const after = scoreCandidate(p, { ...t, skills: [...t.skills, added] }).score;
        expect(after).toBeGreaterThanOrEqual(before);
        if (wanted.includes(added) && !t.skills.includes(added)) expect(after).toBeGreaterThan(before);
      }),
    );
  });

  it('property: deterministic — same input, same score and reasons; order of the skills does not matter', () => {
    fc.assert(
      fc.property(project, talent, (p, t) => {
        const a = scoreCandidate(p, t);
        expect(scoreCandidate(p, t)).toEqual(a);
        expect(scoreCandidate(p, { ...t, skills: [...t.skills].reverse() }).score).toBe(a.score);
      }),
    );
  });

  it('property: the stored skill keys (as supporter_profiles.skill_keys holds them) score as the skills do', () => {
    fc.assert(
      fc.property(project, talent, (p, t) => {
        const stored = [...new Set(t.skills.map(searchKey).filter((k) => k.length > 0))];
        expect(scoreCandidate(p, { ...t, skillKeys: stored })).toEqual(scoreCandidate(p, t));
      }),
    );
  });
});
