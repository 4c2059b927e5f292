import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGAGEMENT_KINDS } from '../../shared/domain.js';
import {
  approvedPlanProblems,
  achievement,
  continuingParticipants,
  cumulative,
  exchangeCreated,
  fiscalYearDates,
  fiscalYearInstants,
  fiscalYearOfDate,
  fiscalYearOfInstant,
  relationshipCreated,
  relationshipEntry,
  uijMovers,
  type MovedStep,
  type PersonRecords,
} from './kpi.rules.js';

const M = '062014';
const N = '062031';
const AS_OF = '2030-01-01';

describe('fiscal years in Japan time', () => {
  it('puts 3/31 23:59 JST in the year before and 4/1 00:00 JST in the new one, whatever the UTC date', () => {
    expect(fiscalYearOfInstant(new Date('2025-03-31T23:59:59+09:00'))).toBe(2024);
    expect(fiscalYearOfInstant(new Date('2025-04-01T00:00:00+09:00'))).toBe(2025);
    // 2025-03-31T15:00Z is already April 1 in Japan.
    expect(fiscalYearOfInstant(new Date('2025-03-31T15:00:00Z'))).toBe(2025);
    expect(fiscalYearOfDate('2025-03-31')).toBe(2024);
    expect(fiscalYearOfDate('2025-04-01')).toBe(2025);
  });
  it('spans exactly the instants whose Japan date lies in the year', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (ms) => {
        const at = new Date(ms);
        const fy = fiscalYearOfInstant(at);
        const { start, end } = fiscalYearInstants(fy);
        const { from, to } = fiscalYearDates(fy);
        expect(at >= start && at < end).toBe(true);
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(at);
        expect(day >= from && day <= to).toBe(true);
      }),
    );
  });
});

describe('cumulative figures and achievement', () => {
  const plan = { fromFiscalYear: 2024, toFiscalYear: 2026 };
  it('sums from the plan’s first year; an unknown year makes the sum unknown', () => {
    const byYear = new Map([
      [2024, 72],
      [2025, 85],
      [2026, 87],
    ]);
    expect(cumulative(byYear, plan, 2024)).toBe(72);
    expect(cumulative(byYear, plan, 2026)).toBe(244);
    expect(cumulative(byYear, plan, 2027)).toBeNull();
    expect(
      cumulative(
        new Map([
          [2024, 1],
          [2025, null],
        ]),
        plan,
        2025,
      ),
    ).toBeNull();
  });
  it('is null where nothing can be divided', () => {
    expect(achievement(null, 16)).toBeNull();
    expect(achievement(5, 0)).toBeNull();
    expect(achievement(131, 131)).toBe(1);
  });
});

describe('① uij_movers', () => {
  const step = (
    occurredOn: string,
    householdSize: number | null,
    uijType: MovedStep['uijType'],
    municipalityCode = M,
  ) => ({
    caseId: `${occurredOn}-${householdSize}`,
    occurredOn,
    municipalityCode,
    householdSize,
    uijType,
  });
  it('sums household sizes of moves dated in the year, by type; a move before household sizes counts 1', () => {
    const steps = [
      step('2024-04-01', 3, 'I'),
      step('2025-03-31', 2, 'U', N),
      step('2025-04-01', 4, 'J'),
      step('2024-12-01', null, null),
    ];
    expect(uijMovers(steps, 2024)).toEqual({ total: 6, byType: { U: 2, I: 3, J: 0, unknown: 1 } });
    expect(uijMovers(steps, 2024, N).total).toBe(2);
    expect(uijMovers(steps, 2025).total).toBe(4);
  });
  it('splits by municipality without losing anyone (property)', () => {
    const arb = fc.array(
      fc.record({
        caseId: fc.uuid(),
        occurredOn: fc.constantFrom('2024-04-01', '2024-10-10', '2025-03-31', '2025-04-01'),
        municipalityCode: fc.constantFrom(M, N),
        householdSize: fc.option(fc.integer({ min: 1, max: 20 })),
        uijType: fc.option(fc.constantFrom('U' as const, 'I' as const, 'J' as const)),
      }),
    );
    fc.assert(
      fc.property(arb, (steps) => {
        const all = uijMovers(steps, 2024).total;
        expect(uijMovers(steps, 2024, M).total + uijMovers(steps, 2024, N).total).toBe(all);
      }),
    );
  });
});

describe('② relationship_created', () => {
  const person = (
    records: PersonRecords['records'],
    links: PersonRecords['links'] = [],
    personId = 'p',
  ): PersonRecords => ({
    personId,
    records,
    links,
  });
  it('dates a person at the first step into 関与: volunteering, or continuing records in a second fiscal year', () => {
    expect(
      relationshipEntry(person([{ municipalityCode: M, kind: 'volunteering', occurredOn: '2024-06-01' }]), AS_OF),
    ).toMatchObject({
      on: '2024-06-01',
      stage: 'involvement',
    });
    const twoYears = person([
      { municipalityCode: M, kind: 'event', occurredOn: '2025-03-31' },
      { municipalityCode: M, kind: 'donation', occurredOn: '2025-04-01' },
    ]);
    expect(relationshipEntry(twoYears, AS_OF)).toMatchObject({ on: '2025-04-01', municipalityCode: M });
    // Two records in the same fiscal year are no continuing relationship.
    expect(
      relationshipEntry(
        person([
          { municipalityCode: M, kind: 'event', occurredOn: '2024-04-01' },
          { municipalityCode: M, kind: 'event', occurredOn: '2025-03-31' },
        ]),
        AS_OF,
      ),
    ).toBeNull();
  });
  it('counts a person once, in the municipality of their earliest step (ties: the lowest code)', () => {
    const p = person([
      { municipalityCode: N, kind: 'side_job', occurredOn: '2024-05-01' },
      { municipalityCode: M, kind: 'volunteering', occurredOn: '2024-05-01' },
      { municipalityCode: N, kind: 'two_region_living', occurredOn: '2025-05-01' },
    ]);
    expect(relationshipEntry(p, AS_OF)).toMatchObject({ municipalityCode: M, on: '2024-05-01' });
    expect(relationshipCreated([p], 2024, AS_OF)).toHaveLength(1);
    expect(relationshipCreated([p], 2025, AS_OF)).toHaveLength(0);
    expect(relationshipCreated([p], 2024, AS_OF, N)).toHaveLength(0);
  });
  it('does not count a person whose move came first (they step straight into 移住)', () => {
    const moved = person([
      { municipalityCode: M, kind: 'moved_in', occurredOn: '2024-04-01' },
      { municipalityCode: M, kind: 'volunteering', occurredOn: '2024-06-01' },
    ]);
    expect(relationshipEntry(moved, AS_OF)).toBeNull();
    const linked = person(
      [{ municipalityCode: M, kind: 'side_job', occurredOn: '2024-06-01' }],
      [{ municipalityCode: M, kind: 'moved_in', since: '2024-06-01' }],
    );
    expect(relationshipEntry(linked, AS_OF)).toBeNull();
  });
  it('gives each person at most one year, and the years add up to everyone who stepped in (property)', () => {
    const arb = fc.array(
      fc.record({
        municipalityCode: fc.constantFrom(M, N),
        kind: fc.constantFrom(...ENGAGEMENT_KINDS),
        occurredOn: fc.constantFrom('2023-05-01', '2024-03-31', '2024-04-01', '2025-01-15', '2025-04-01', '2026-02-01'),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 6 }), (recordSets) => {
        const people = recordSets.map((records, i) => person(records, [], `p${i}`));
        const entered = people.filter((p) => relationshipEntry(p, AS_OF) !== null).length;
        const byYear = [2022, 2023, 2024, 2025, 2026].map((fy) => relationshipCreated(people, fy, AS_OF).length);
        expect(byYear.reduce((a, b) => a + b, 0)).toBe(entered);
        const byMunicipality = [M, N].map((m) => relationshipCreated(people, 2024, AS_OF, m).length);
        expect(byMunicipality[0]! + byMunicipality[1]!).toBe(relationshipCreated(people, 2024, AS_OF).length);
      }),
    );
  });
});

describe('③ exchange_created', () => {
  const checkIn = (iso: string) => ({ at: new Date(iso), status: 'registered' as const });
  it('counts check-ins by their Japan day and headcounts by their date, for events held in the prefecture only', () => {
    const events = [
      {
        venueMunicipalityCode: M,
        status: 'published' as const,
        checkIns: [checkIn('2025-03-31T23:59:00+09:00'), checkIn('2025-04-01T00:00:00+09:00')],
        headcounts: [{ countedOn: '2025-03-31', count: 100 }],
      },
      {
        venueMunicipalityCode: null,
        status: 'published' as const,
        checkIns: [checkIn('2024-10-01T10:00:00+09:00')],
        headcounts: [{ countedOn: '2024-10-01', count: 50 }],
      },
      {
        venueMunicipalityCode: N,
        status: 'cancelled' as const,
        checkIns: [],
        headcounts: [{ countedOn: '2024-10-01', count: 7 }],
      },
    ];
    expect(exchangeCreated(events, 2024)).toBe(101);
    expect(exchangeCreated(events, 2025)).toBe(1);
    expect(exchangeCreated(events, 2024, N)).toBe(0);
  });
});

describe('continuing participants', () => {
  it('counts people taking part in both years, with their share of last year’s participants', () => {
    const records = [
      { personId: 'a', municipalityCode: M, kind: 'event' as const, occurredOn: '2024-05-01' },
      { personId: 'a', municipalityCode: N, kind: 'visit' as const, occurredOn: '2025-05-01' },
      { personId: 'b', municipalityCode: M, kind: 'online' as const, occurredOn: '2024-05-01' },
      { personId: 'b', municipalityCode: M, kind: 'donation' as const, occurredOn: '2025-05-01' },
      { personId: 'c', municipalityCode: M, kind: 'event' as const, occurredOn: '2025-05-01' },
    ];
    expect(continuingParticipants(records, 2025)).toEqual({ count: 1, previous: 2, share: 0.5 });
    // With one municipality, a's two years are with different municipalities: not continuing there.
    expect(continuingParticipants(records, 2025, M)).toEqual({ count: 0, previous: 2, share: 0 });
    expect(continuingParticipants(records, 2024)).toEqual({ count: 0, previous: 0, share: null });
  });
});

describe('editing a plan after an approved evaluation', () => {
  const indicator = (targets: Array<[number, number]>) => ({
    code: 'relationship_created' as const,
    labelJa: '関係人口の創出数',
    labelEn: 'Relationship population created',
    unit: 'people' as const,
    baseline: 0,
    targets: targets.map(([fiscalYear, target]) => ({ fiscalYear, target })),
    municipalityTargets: [],
  });
  const targets = fc
    .array(fc.tuple(fc.integer({ min: 2024, max: 2028 }), fc.integer({ min: 0, max: 500 })), {
      maxLength: 5,
    })
    .map((ts) => [...new Map(ts).entries()]);

  it('lets through exactly the edits that leave every approved year’s report as it was', () => {
    fc.assert(
      fc.property(
        targets,
        targets,
        fc.option(fc.integer({ min: 2024, max: 2028 }), { nil: null }),
        (a, b, approved) => {
          const before = { fromFiscalYear: 2024, indicators: [indicator(a)] };
          const after = { fromFiscalYear: 2024, indicators: [indicator(b)] };
          const problems = approvedPlanProblems(before, after, approved);
          // The approved reports show the targets summed up to their years: same targets up to the
          // last approved year ⇔ every approved report reads the same.
          const upTo = (ts: Array<[number, number]>) =>
            ts.filter(([y]) => approved !== null && y <= approved).sort((x, y) => x[0] - y[0]);
          const same = JSON.stringify(upTo(a)) === JSON.stringify(upTo(b));
          expect(Object.keys(problems).length === 0).toBe(approved === null || same);
        },
      ),
    );
  });

  it('names the field and the year that fix it', () => {
    const before = {
      fromFiscalYear: 2024,
      indicators: [
        indicator([
          [2024, 10],
          [2025, 20],
        ]),
      ],
    };
    const later = {
      fromFiscalYear: 2024,
      indicators: [
        indicator([
          [2024, 10],
          [2025, 25],
        ]),
      ],
    };
    expect(approvedPlanProblems(before, later, 2024)).toEqual({});
    expect(approvedPlanProblems(before, later, 2025)).toEqual({
      'indicators.0.targets': { problem: 'fixed_by_approved_evaluation', params: { year: 2025 } },
    });
    expect(approvedPlanProblems(before, { ...later, fromFiscalYear: 2023 }, 2024)).toHaveProperty('fromFiscalYear');
    expect(approvedPlanProblems(before, { fromFiscalYear: 2024, indicators: [] }, 2024)).toHaveProperty('indicators');
  });
});
