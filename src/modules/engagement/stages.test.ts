import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGAGEMENT_KINDS, LINK_KINDS, STAGES, type Stage } from '../../shared/domain.js';
import {
  addDays,
  deriveStages,
  fiscalYearOf,
  stageHistory,
  stageOf,
  type StageLink,
  type StageRecord,
} from './stages.js';

const M = '062014';
const rec = (kind: StageRecord['kind'], occurredOn: string, municipalityCode = M): StageRecord => ({
  kind,
  occurredOn,
  municipalityCode,
});
const rank = (s: Stage | null) => (s ? STAGES.indexOf(s) : -1);

const isoDate = fc
  .integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2026, 10, 1) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const record = fc.record({
  municipalityCode: fc.constantFrom('062014', '062031'),
  kind: fc.constantFrom(...ENGAGEMENT_KINDS),
  occurredOn: isoDate,
});
const link = fc.record({
  municipalityCode: fc.constantFrom('062014', '062031'),
  kind: fc.constantFrom(...LINK_KINDS),
  since: isoDate,
});
const AS_OF = '2026-11-23';

describe('fiscal year', () => {
  it('runs April to March', () => {
    expect(fiscalYearOf('2025-03-31')).toBe(2024);
    expect(fiscalYearOf('2025-04-01')).toBe(2025);
  });
});

describe('stage rules', () => {
  it('a link alone is 関心 (interest)', () => {
    expect(stageOf([], [{ municipalityCode: M, kind: 'supporter', since: '2024-05-01' }], AS_OF)).toBe('interest');
  });
  it('a newsletter click or a single donation is 関心', () => {
    expect(stageOf([rec('newsletter_click', '2024-05-01')], [], AS_OF)).toBe('interest');
    expect(stageOf([rec('donation', '2024-05-01')], [], AS_OF)).toBe('interest');
  });
  it('taking part once is 交流 (exchange)', () => {
    expect(stageOf([rec('event', '2024-05-01')], [], AS_OF)).toBe('exchange');
  });
  it('continuing across two fiscal years, or volunteering, is 関与 (involvement)', () => {
    expect(stageOf([rec('donation', '2024-03-31'), rec('donation', '2024-04-01')], [], AS_OF)).toBe('involvement');
    expect(stageOf([rec('event', '2024-04-01'), rec('event', '2025-03-31')], [], AS_OF)).toBe('exchange');
    expect(stageOf([rec('volunteering', '2024-05-01')], [], AS_OF)).toBe('involvement');
  });
  it('a side job is 協働, two-region living 二地域居住', () => {
    expect(stageOf([rec('side_job', '2024-05-01')], [], AS_OF)).toBe('collaboration');
    expect(stageOf([rec('two_region_living', '2024-05-01')], [], AS_OF)).toBe('two_region');
  });
  it('a move is 移住 and becomes 定住 a year later', () => {
    expect(stageOf([rec('moved_in', '2026-01-10')], [], AS_OF)).toBe('migrated');
    expect(stageOf([rec('moved_in', '2025-11-23')], [], AS_OF)).toBe('settled');
    expect(stageOf([], [{ municipalityCode: M, kind: 'moved_in', since: '2020-04-01' }], AS_OF)).toBe('settled');
  });
  it('dates each step of the history', () => {
    const history = stageHistory(
      [
        rec('event', '2023-06-01'),
        rec('visit', '2024-06-01'),
        rec('side_job', '2025-01-15'),
        rec('moved_in', '2025-08-01'),
      ],
      [{ municipalityCode: M, kind: 'interest', since: '2023-01-01' }],
      AS_OF,
    );
    expect(history).toEqual([
      { stage: 'interest', effectiveOn: '2023-01-01' },
      { stage: 'exchange', effectiveOn: '2023-06-01' },
      { stage: 'involvement', effectiveOn: '2024-06-01' },
      { stage: 'collaboration', effectiveOn: '2025-01-15' },
      { stage: 'migrated', effectiveOn: '2025-08-01' },
      { stage: 'settled', effectiveOn: '2026-08-01' },
    ]);
    expect(stageHistory([rec('moved_in', '2024-08-01')], [], AS_OF).at(-1)).toEqual({
      stage: 'settled',
      effectiveOn: addDays('2024-08-01', 365),
    });
  });
  it('keeps municipalities apart', () => {
    const stages = deriveStages(
      [rec('side_job', '2024-05-01', '062014'), rec('event', '2024-05-01', '062031')],
      [],
      AS_OF,
    );
    expect(stages.map((s) => [s.municipalityCode, s.stage])).toEqual([
      ['062014', 'collaboration'],
      ['062031', 'exchange'],
    ]);
  });
});

describe('stage properties', () => {
  it('adding a record never lowers a stage', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 12 }),
        fc.array(link, { maxLength: 3 }),
        record,
        (records, links, extra) => {
          const before = stageOf(
            records.filter((r) => r.municipalityCode === M),
            links.filter((l) => l.municipalityCode === M),
            AS_OF,
          );
          const withExtra = [...records, extra].filter((r) => r.municipalityCode === M);
          const after = stageOf(
            withExtra,
            links.filter((l) => l.municipalityCode === M),
            AS_OF,
          );
          expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
        },
      ),
    );
  });

  it('does not depend on the order of records', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), fc.array(link, { maxLength: 3 }), (records, links) => {
        const a = deriveStages(records, links, AS_OF);
        const b = deriveStages([...records].reverse(), [...links].reverse(), AS_OF);
        expect(b).toEqual(a);
      }),
    );
  });

  it('history only climbs, ends at the current stage, and never dates a step after the evaluation date', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 12 }),
        fc.array(link, { maxLength: 3 }),
        (records, links: StageLink[]) => {
          for (const s of deriveStages(records, links, AS_OF)) {
            for (let i = 1; i < s.history.length; i++) {
              expect(rank(s.history[i]!.stage)).toBeGreaterThan(rank(s.history[i - 1]!.stage));
              expect(s.history[i]!.effectiveOn >= s.history[i - 1]!.effectiveOn).toBe(true);
            }
            expect(s.history.at(-1)).toEqual({ stage: s.stage, effectiveOn: s.since });
            expect(s.since <= AS_OF).toBe(true);
            const own = records.filter((r) => r.municipalityCode === s.municipalityCode);
            const ownLinks = links.filter((l) => l.municipalityCode === s.municipalityCode);
            expect(s.stage).toBe(stageOf(own, ownLinks, AS_OF));
          }
        },
      ),
    );
  });
});
