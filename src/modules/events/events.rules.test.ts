import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventDayPhase,
  checkinEngagementKey,
  endOfTokyoDay,
  formatTokyoRangeEn,
  formatTokyoRangeJa,
  parseOffsetDateTime,
  planBoothChanges,
  registrationMunicipalities,
  scheduleProblems,
  startOfTokyoDay,
  tokyoDay,
  toTokyoIso,
  type BoothPlanInput,
} from './events.rules.js';

const instant = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) })
  .map((ms) => new Date(Math.floor(ms / 1000) * 1000));
const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 });

/** An instant written in the given offset, as a client might send it. */
function writeWithOffset(d: Date, minutes: number): string {
  const local = new Date(d.getTime() + minutes * 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.toISOString().slice(0, 19)}${off}`;
}

describe('event times', () => {
  it('reads a date-time with its offset as the right instant', () => {
    expect(parseOffsetDateTime('2025-02-01T11:00:00+09:00')?.toISOString()).toBe('2025-02-01T02:00:00.000Z');
    expect(parseOffsetDateTime('2025-02-01T02:00:00Z')?.toISOString()).toBe('2025-02-01T02:00:00.000Z');
    expect(parseOffsetDateTime('2025-02-01T02:00Z')?.toISOString()).toBe('2025-02-01T02:00:00.000Z');
    expect(parseOffsetDateTime('2025-01-31T12:00:00.5-05:00')?.toISOString()).toBe('2025-01-31T17:00:00.500Z');
  });

  it('refuses times without offset, impossible dates and junk', () => {
    for (const bad of [
      '2025-02-01T11:00:00',
      '2025-02-30T10:00:00+09:00',
      '2025-13-01T10:00:00Z',
      '2025-02-01T24:00:00Z',
      '2025-02-01',
      'tomorrow',
      '2025-02-01T10:00:00+25:00',
      '',
    ]) {
      expect(parseOffsetDateTime(bad), bad).toBeNull();
    }
  });

  it('writes instants in Japan time and reads them back unchanged (any offset in between)', () => {
    fc.assert(
      fc.property(instant, offsetMinutes, (d, minutes) => {
        expect(parseOffsetDateTime(writeWithOffset(d, minutes))?.getTime()).toBe(d.getTime());
        const tokyo = toTokyoIso(d);
        expect(tokyo).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
        expect(parseOffsetDateTime(tokyo)?.getTime()).toBe(d.getTime());
      }),
    );
  });

  it('puts an instant on its Japanese calendar day, between the day’s bounds', () => {
    expect(tokyoDay(new Date('2025-01-31T15:00:00Z'))).toBe('2025-02-01');
    expect(tokyoDay(new Date('2025-01-31T14:59:59Z'))).toBe('2025-01-31');
    fc.assert(
      fc.property(instant, (d) => {
        const day = tokyoDay(d);
        expect(startOfTokyoDay(day).getTime()).toBeLessThanOrEqual(d.getTime());
        expect(endOfTokyoDay(day).getTime()).toBeGreaterThan(d.getTime());
      }),
    );
  });

  it('formats a range in Japanese and English in Japan time', () => {
    const s = new Date('2025-02-01T02:00:00Z');
    const e = new Date('2025-02-01T08:00:00Z');
    expect(formatTokyoRangeJa(s, e)).toBe('2025年2月1日（土）11:00〜17:00');
    expect(formatTokyoRangeEn(s, e)).toBe('Sat, 1 Feb 2025, 11:00–17:00 (Japan time)');
    expect(formatTokyoRangeJa(s, new Date('2025-02-02T01:00:00Z'))).toBe(
      '2025年2月1日（土）11:00〜2025年2月2日（日）10:00',
    );
  });
});

describe('schedule', () => {
  const at = (iso: string) => new Date(iso);
  const event = { startsAt: at('2025-02-01T02:00:00Z'), endsAt: at('2025-02-01T08:00:00Z') };

  it('accepts slots within the event', () => {
    expect(
      scheduleProblems(event, [
        { slots: [{ startsAt: at('2025-02-01T02:00:00Z'), endsAt: at('2025-02-01T02:30:00Z') }] },
      ]),
    ).toEqual({});
  });

  it('names the field of an event ending before it starts, a slot ending before it starts, and a slot outside the event', () => {
    expect(scheduleProblems({ startsAt: event.endsAt, endsAt: event.startsAt }, [])).toEqual({
      endsAt: { problem: 'ends_before_start' },
    });
    expect(
      scheduleProblems(event, [
        { slots: [] },
        {
          slots: [
            { startsAt: at('2025-02-01T03:00:00Z'), endsAt: at('2025-02-01T03:00:00Z') },
            { startsAt: at('2025-02-01T07:45:00Z'), endsAt: at('2025-02-01T08:15:00Z') },
          ],
        },
      ]),
    ).toEqual({
      'booths.1.slots.0.endsAt': { problem: 'ends_before_start' },
      'booths.1.slots.1.startsAt': { problem: 'slot_outside_event' },
    });
  });
});

describe('booth and slot edits', () => {
  const slotAt = (id?: string, capacity = 2): NonNullable<BoothPlanInput['slots']>[number] => ({
    ...(id ? { id } : {}),
    startsAt: new Date('2025-02-01T02:00:00Z'),
    endsAt: new Date('2025-02-01T02:30:00Z'),
    capacity,
  });
  const booths = [{ id: 'b1' }, { id: 'b2' }];
  const slots = [
    { id: 's1', boothId: 'b1', bookedCount: 0 },
    { id: 's2', boothId: 'b1', bookedCount: 2 },
    { id: 's3', boothId: 'b2', bookedCount: 0 },
  ];

  it('renames, adds and removes booths and slots that hold no bookings', () => {
    const plan = planBoothChanges(booths, slots, [
      { id: 'b1', name: '山形市ブース（改）', slots: [slotAt('s2', 3), slotAt()] },
      { name: '新しいブース', municipalityCode: '062031', slots: [slotAt()] },
    ]);
    expect(plan.problems).toEqual({});
    expect(plan.update.map((u) => [u.id, u.position, u.booth.name])).toEqual([['b1', 0, '山形市ブース（改）']]);
    expect(plan.add.map((a) => [a.position, a.booth.name])).toEqual([[1, '新しいブース']]);
    expect(plan.removeBooths).toEqual(['b2']);
    expect(plan.updateSlots.map((s) => s.id)).toEqual(['s2']);
    expect(plan.addSlots).toHaveLength(1);
    expect(plan.removeSlots).toEqual(['s1']);
  });

  it('keeps the slots of a booth that sends no slot list', () => {
    const plan = planBoothChanges(booths, slots, [
      { id: 'b1', name: 'a' },
      { id: 'b2', name: 'b' },
    ]);
    expect(plan).toMatchObject({ removeSlots: [], removeBooths: [], addSlots: [], updateSlots: [], problems: {} });
  });

  it('refuses to remove a booked slot or booth, to shrink a slot below its bookings, and foreign ids', () => {
    expect(
      planBoothChanges(booths, slots, [
        { id: 'b1', name: 'a', slots: [slotAt('s1')] },
        { id: 'b2', name: 'b' },
      ]).problems,
    ).toEqual({
      'booths.0.slots': { problem: 'slot_has_bookings', params: { count: 2 } },
    });
    expect(planBoothChanges(booths, slots, [{ id: 'b2', name: 'b' }]).problems).toEqual({
      booths: { problem: 'booth_has_bookings', params: { count: 2 } },
    });
    expect(
      planBoothChanges(booths, slots, [
        { id: 'b1', name: 'a', slots: [slotAt('s1'), slotAt('s2', 1)] },
        { id: 'b2', name: 'b' },
      ]).problems,
    ).toEqual({
      'booths.0.slots.1.capacity': { problem: 'below_booked', params: { count: 2 } },
    });
    expect(
      planBoothChanges(booths, slots, [
        { id: 'other', name: 'x' },
        { id: 'b1', name: 'a', slots: [slotAt('s3')] },
      ]).problems,
    ).toMatchObject({
      'booths.0.id': { problem: 'not_in_event' },
      'booths.1.slots.0.id': { problem: 'not_in_event' },
    });
  });

  it('never removes anything that holds bookings without a problem (any edit)', () => {
    const existing = fc.array(
      fc.record({ booth: fc.constantFrom('b1', 'b2', 'b3'), booked: fc.integer({ min: 0, max: 3 }) }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(
        existing,
        fc.subarray(['b1', 'b2', 'b3']),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (raw, kept, keepSlot) => {
          const ss = raw.map((s, i) => ({ id: `s${i}`, boothId: s.booth, bookedCount: s.booked }));
          const sent = kept.map((b) => ({
            id: b,
            name: b,
            slots: ss.filter((s, i) => s.boothId === b && keepSlot[i]).map((s) => slotAt(s.id, 3)),
          }));
          const plan = planBoothChanges([{ id: 'b1' }, { id: 'b2' }, { id: 'b3' }], ss, sent);
          const removed = new Set([
            ...plan.removeSlots,
            ...ss.filter((s) => plan.removeBooths.includes(s.boothId)).map((s) => s.id),
          ]);
          const lostBookings = ss.some((s) => removed.has(s.id) && s.bookedCount > 0);
          expect(Object.keys(plan.problems).length > 0).toBe(lostBookings);
        },
      ),
    );
  });
});

describe('registrations', () => {
  it('concern the chosen municipalities, the booked booth’s and the host’s, once each', () => {
    expect(
      registrationMunicipalities({
        chosen: ['062031', '062014'],
        boothMunicipality: '062014',
        hostMunicipality: '062049',
      }),
    ).toEqual(['062014', '062031', '062049']);
    expect(registrationMunicipalities({ chosen: [] })).toEqual([]);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('062014', '062031', '062049')),
        fc.option(fc.constantFrom('062014', '062057')),
        fc.option(fc.constantFrom('062014', '062065')),
        (chosen, booth, host) => {
          const codes = registrationMunicipalities({ chosen, boothMunicipality: booth, hostMunicipality: host });
          expect(new Set(codes).size).toBe(codes.length);
          for (const c of [...chosen, booth, host]) if (c) expect(codes).toContain(c);
        },
      ),
    );
  });

  it('key the attendance engagement by registration and municipality', () => {
    expect(checkinEngagementKey('r1', '062014')).toBe('event:r1:062014');
  });
});

describe("the event's days", () => {
  const event = { startsAt: new Date('2027-02-06T11:00:00+09:00'), endsAt: new Date('2027-02-07T17:00:00+09:00') };
  it('are whole calendar days in Japan, from the day it starts to the day it ends', () => {
    expect(eventDayPhase(event, new Date('2027-02-05T23:59:59+09:00'))).toBe('before');
    // 00:00 in Japan is still the previous day in UTC: Japan's calendar decides.
    expect(eventDayPhase(event, new Date('2027-02-05T15:00:00Z'))).toBe('during');
    expect(eventDayPhase(event, new Date('2027-02-06T08:00:00+09:00'))).toBe('during');
    expect(eventDayPhase(event, new Date('2027-02-07T23:59:59+09:00'))).toBe('during');
    expect(eventDayPhase(event, new Date('2027-02-08T00:00:00+09:00'))).toBe('after');
  });
  it('order every moment: before, then during, then after', () => {
    const order: Record<string, number> = { before: 0, during: 1, after: 2 };
    const anyDay = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(anyDay, anyDay, (a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(order[eventDayPhase(event, x)]!).toBeLessThanOrEqual(order[eventDayPhase(event, y)]!);
      }),
    );
  });
});
