/**
 * What staff send to create or change an event with its booths and slots. Pure (zod and
 * src/shared only): the server's routes validate with these, and the web's event form checks the
 * same limits and rules before sending (src/modules/events/events.schemas.ts re-exports them).
 */
import { z } from 'zod';
import { EVENT_KINDS, EVENT_LIMITS, EVENT_STATUSES } from '../domain.js';
import { isIsoDate } from '../dates.js';
import { parseOffsetDateTime } from '../schedule.js';
import { MunicipalityCode, optionalText, refineProblem, requiredText } from './fields.js';

/** A point in time with an explicit offset; answered in +09:00. */
export const EventDateTime = z
  .string()
  .max(40)
  .refine((s) => parseOffsetDateTime(s) !== null, refineProblem('invalid_datetime'))
  .meta({ format: 'date-time', example: '2025-02-01T11:00:00+09:00' })
  .describe('ISO 8601 date-time with offset, e.g. 2025-02-01T11:00:00+09:00 or …Z (answers are in +09:00, Asia/Tokyo)');

const httpUrl = (max: number) =>
  requiredText(max)
    .pipe(z.url({ protocol: /^https?$/ }))
    .describe('https://… (shown to registrants only); null: none');

export const SlotInput = z
  .object({
    id: z.uuid().optional().describe('An existing slot (PATCH); absent: a new slot'),
    startsAt: EventDateTime,
    endsAt: EventDateTime,
    capacity: z
      .number()
      .int()
      .min(1)
      .max(EVENT_LIMITS.slotCapacity)
      .default(1)
      .describe('People per slot (never below those booked)'),
  })
  .strict();
export type SlotInputValue = z.infer<typeof SlotInput>;

export const BoothInput = z
  .object({
    id: z.uuid().optional().describe('An existing booth (PATCH); absent: a new booth'),
    name: requiredText(EVENT_LIMITS.boothName),
    nameEn: optionalText(EVENT_LIMITS.boothName).describe(
      'English booth name for the public pages in English; null: none (a municipality’s booth then shows the municipality’s English name, others the Japanese name). On PATCH, absent: unchanged',
    ),
    municipalityCode: MunicipalityCode.nullable().optional().describe('The municipality staffing the booth'),
    organizationId: z.uuid().nullable().optional().describe('The partner agency staffing the booth'),
    slots: z
      .array(SlotInput)
      .max(EVENT_LIMITS.slotsPerBooth)
      .optional()
      .describe(
        'Bookable consultation slots. On PATCH the list replaces the booth’s slots (absent: unchanged); a slot with bookings cannot be removed',
      ),
  })
  .strict();
export type BoothInputValue = z.infer<typeof BoothInput>;

const eventFields = {
  kind: z
    .enum(EVENT_KINDS)
    .describe(
      'fair フェア, mini_day 相談DAY, theme_desk テーマ別相談, seminar セミナー, online_session オンライン, tour ツアー, trial_stay お試し滞在',
    ),
  title: requiredText(EVENT_LIMITS.title),
  description: optionalText(EVENT_LIMITS.description, { multiline: true }),
  titleEn: optionalText(EVENT_LIMITS.title).describe('English title for the public pages in English; null: none'),
  descriptionEn: optionalText(EVENT_LIMITS.description, { multiline: true }).describe(
    'English description for the public pages in English; null: none',
  ),
  startsAt: EventDateTime,
  endsAt: EventDateTime,
  venue: optionalText(EVENT_LIMITS.venue),
  onlineUrl: httpUrl(EVENT_LIMITS.onlineUrl).nullable().optional(),
  capacity: z.number().int().min(1).max(EVENT_LIMITS.capacity).nullable().optional().describe('null: no limit'),
  status: z.enum(EVENT_STATUSES).describe('draft (not public), published, cancelled'),
  hostMunicipalityCode: MunicipalityCode.nullable()
    .optional()
    .describe('Hosting municipality; null: the center (prefecture-wide). Municipality staff: their own'),
  venueMunicipalityCode: MunicipalityCode.nullable()
    .optional()
    .describe(
      'The municipality of the prefecture the event takes place in; null: outside the prefecture or online (its visitors do not count as exchange population, KPI ③)',
    ),
  booths: z.array(BoothInput).max(EVENT_LIMITS.booths),
};

export const CreateEvent = z
  .object({ ...eventFields, status: eventFields.status.default('published'), booths: eventFields.booths.default([]) })
  .strict()
  .meta({
    example: {
      kind: 'fair',
      title: 'やまがた移住・交流フェア',
      description: '山形県内の市町村が集まる移住相談会です。',
      startsAt: '2025-02-01T11:00:00+09:00',
      endsAt: '2025-02-01T17:00:00+09:00',
      venue: '東京交通会館 12階 カトレアサロン（東京都千代田区有楽町2-10-1）',
      capacity: 400,
      status: 'published',
      booths: [
        {
          name: '山形市ブース',
          nameEn: 'Yamagata City booth',
          municipalityCode: '062014',
          slots: [{ startsAt: '2025-02-01T11:00:00+09:00', endsAt: '2025-02-01T11:30:00+09:00', capacity: 2 }],
        },
      ],
    },
  });
export type CreateEventInput = z.infer<typeof CreateEvent>;
export type CreateEventForm = z.input<typeof CreateEvent>;

export const UpdateEvent = z
  .object({
    kind: eventFields.kind.optional(),
    title: eventFields.title.optional(),
    description: eventFields.description,
    titleEn: eventFields.titleEn,
    descriptionEn: eventFields.descriptionEn,
    startsAt: eventFields.startsAt.optional(),
    endsAt: eventFields.endsAt.optional(),
    venue: eventFields.venue,
    venueMunicipalityCode: eventFields.venueMunicipalityCode,
    onlineUrl: eventFields.onlineUrl,
    capacity: eventFields.capacity.describe('null: no limit; never below the registrations held'),
    status: eventFields.status.optional().describe('cancelled: the event is called off (registrations are kept)'),
    booths: eventFields.booths
      .optional()
      .describe(
        'Replaces the booths: items with id are changed (rename, reassign, slots), items without id are added, booths left out are removed (not when a slot has bookings)',
      ),
  })
  .strict()
  .describe('Any subset of the fields')
  .meta({ example: { title: 'やまがた移住・交流フェア 2025', capacity: 450 } });
export type UpdateEventInput = z.infer<typeof UpdateEvent>;

/** Visitors counted without registering (door count, tour group, conference brought to the prefecture). */
export const CreateHeadcount = z
  .object({
    countedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine(isIsoDate, refineProblem('invalid_date'))
      .describe('The day the people were there (yyyy-mm-dd, Japan); it decides the fiscal year'),
    count: z.number().int().min(1).max(1_000_000).describe('People counted'),
    note: optionalText(EVENT_LIMITS.headcountNote, { multiline: true }).describe(
      'How they were counted, the evidence (受付簿, 主催者報告…)',
    ),
  })
  .strict()
  .meta({ example: { countedOn: '2025-02-01', count: 120, note: '受付で数えた来場者（申込なし）' } });
export type CreateHeadcountInput = z.infer<typeof CreateHeadcount>;
