/**
 * The API shape of events (やまがた移住・交流フェア, mini consultation days, seminars, online
 * sessions, tours, trial stays): staff management, the public registration on a phone, tickets,
 * check-in and attendance. Shared by the routes (validation, OpenAPI) and the web UI (types via
 * z.infer / z.input).
 *
 * Times: input is an ISO 8601 date-time WITH an offset (2025-02-01T10:00:00+09:00 or …Z); a
 * time without offset is refused, since it would be ambiguous. Answers are always written in
 * Asia/Tokyo (+09:00).
 */
import { z } from 'zod';
import type { PlainFieldProblemCode } from '../../shared/codes.js';
import { EVENT_KINDS, EVENT_STATUSES, PERSON_LIMITS } from '../../shared/domain.js';
import { normalizeKana, normalizePhone, normalizePrefecture, toNarrow } from '../../shared/normalize.js';
import {
  emailText,
  MunicipalityCode,
  normalizedText,
  Pagination,
  personNameText,
  problemIssue,
  refineProblem,
  requiredText,
  searchText,
  tokenText,
} from '../../platform/validation.js';
import { Consents } from '../people/index.js';
import { isIsoDate } from '../../shared/dates.js';

// --- Building blocks ------------------------------------------------------------------------------

/** yyyy-mm-dd, a calendar day in Asia/Tokyo. */
const TokyoDay = z.string().refine(isIsoDate, refineProblem('invalid_date')).describe('yyyy-mm-dd (Asia/Tokyo)');

/** Required text normalized at the edge (kana, prefecture); empty is `required`. */
function requiredNormalized(max: number, normalize: (s: string) => string | null, problem: PlainFieldProblemCode) {
  return z
    .string()
    .max(max)
    .transform((s, ctx) => {
      const value = s.trim() === '' ? null : normalize(s);
      if (value === null) {
        ctx.issues.push(problemIssue(s, s.trim() === '' ? 'required' : problem));
        return z.NEVER;
      }
      return value;
    });
}

const MunicipalityRef = z.object({ code: z.string(), name: z.string() });
const OrganizationRef = z.object({ id: z.uuid(), name: z.string() });

// --- Staff: events, booths, slots ------------------------------------------------------------------

export {
  BoothInput,
  type BoothInputValue,
  CreateEvent,
  type CreateEventForm,
  type CreateEventInput,
  EventDateTime,
  SlotInput,
  type SlotInputValue,
  UpdateEvent,
  type UpdateEventInput,
  CreateHeadcount,
  type CreateHeadcountInput,
} from '../../shared/schemas/events.js';

export const EventsQuery = z
  .object({
    from: TokyoDay.optional().describe('Events ending on or after this day'),
    to: TokyoDay.optional().describe('Events starting on or before this day'),
    kind: z.enum(EVENT_KINDS).optional(),
    status: z.enum(EVENT_STATUSES).optional(),
    ...Pagination,
  })
  .strict();
export type EventsQueryInput = z.infer<typeof EventsQuery>;

export const Slot = z.object({
  id: z.uuid(),
  boothId: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  bookedCount: z.number().int(),
});
export type SlotView = z.infer<typeof Slot>;

export const Booth = z.object({
  id: z.uuid(),
  name: z.string(),
  nameEn: z.string().nullable().describe('English booth name; null: none (English pages show the Japanese one)'),
  municipality: MunicipalityRef.nullable(),
  organization: OrganizationRef.nullable(),
  position: z.number().int(),
  slots: z.array(Slot),
});
export type BoothView = z.infer<typeof Booth>;

export const EventSummary = z.object({
  id: z.uuid(),
  kind: z.enum(EVENT_KINDS),
  title: z.string(),
  description: z.string().nullable(),
  titleEn: z.string().nullable().describe('English title; null: none (English pages show the Japanese one)'),
  descriptionEn: z.string().nullable().describe('English description; null: none'),
  startsAt: z.string().describe('+09:00'),
  endsAt: z.string().describe('+09:00'),
  venue: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  capacity: z.number().int().nullable(),
  registeredCount: z.number().int().describe('Registrations held (cancelled ones do not count)'),
  checkedInCount: z.number().int(),
  status: z.enum(EVENT_STATUSES),
  hostMunicipality: MunicipalityRef.nullable(),
  venueMunicipalityCode: z
    .string()
    .nullable()
    .describe('Municipality of the venue in the prefecture; null: outside the prefecture or online'),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EventSummaryView = z.infer<typeof EventSummary>;

export const EventDetail = EventSummary.extend({ booths: z.array(Booth) });
export type EventDetailView = z.infer<typeof EventDetail>;

export const EventsPage = z.object({ items: z.array(EventSummary), total: z.number().int() });
export type EventsPageView = z.infer<typeof EventsPage>;

// --- Public: listing, registration, ticket ---------------------------------------------------------

export const PublicSlot = z.object({
  id: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  freePlaces: z.number().int(),
});

export const PublicBooth = z.object({
  id: z.uuid(),
  name: z.string(),
  nameEn: z.string().nullable().describe('English booth name; null: none (English pages show the Japanese one)'),
  municipality: MunicipalityRef.nullable(),
  organization: OrganizationRef.nullable(),
  slots: z.array(PublicSlot),
});

export const PublicEvent = z.object({
  id: z.uuid(),
  kind: z.enum(EVENT_KINDS),
  title: z.string(),
  description: z.string().nullable(),
  titleEn: z.string().nullable().describe('English title; null: none (English pages show the Japanese one)'),
  descriptionEn: z.string().nullable().describe('English description; null: none'),
  startsAt: z.string(),
  endsAt: z.string(),
  venue: z.string().nullable(),
  isOnline: z.boolean().describe('The link is sent to registrants only'),
  freePlaces: z.number().int().nullable().describe('null: no limit'),
  isFull: z.boolean(),
  hostMunicipality: MunicipalityRef.nullable(),
});
export type PublicEventView = z.infer<typeof PublicEvent>;

export const PublicEventDetail = PublicEvent.extend({ booths: z.array(PublicBooth) });
export type PublicEventDetailView = z.infer<typeof PublicEventDetail>;

export const PublicEventsPage = z.object({ items: z.array(PublicEvent) });

export const PublicEventRegistration = z
  .object({
    name: personNameText(PERSON_LIMITS.name).describe('氏名'),
    kana: requiredNormalized(PERSON_LIMITS.kana, normalizeKana, 'invalid_kana').describe(
      'フリガナ (katakana or hiragana)',
    ),
    email: emailText(),
    phone: normalizedText(PERSON_LIMITS.phone, (s) => (normalizePhone(s) ? toNarrow(s).trim() : null), 'invalid_phone'),
    prefecture: requiredNormalized(12, normalizePrefecture, 'invalid_prefecture').describe(
      'Prefecture of residence, e.g. 東京都',
    ),
    city: requiredText(PERSON_LIMITS.city).describe('City of residence, e.g. 世田谷区'),
    municipalityCodes: z
      .array(MunicipalityCode)
      .max(10)
      .default([])
      .describe('Municipalities of interest; shared with them only with consents.shareWithMunicipalities'),
    slotId: z.uuid().nullable().optional().describe('A consultation slot of one of the event’s booths'),
    consents: Consents,
    locale: z.enum(['ja', 'en']).default('ja'),
    formToken: tokenText(200).describe('From GET /api/public/registration-form'),
    /** Honeypot: people never see this field; bots fill it. */
    website: z.string().max(200).optional(),
  })
  .strict()
  .meta({
    example: {
      name: '移住 花子',
      kana: 'イジュウ ハナコ',
      email: 'hanako.fair@example.jp',
      phone: '090-1234-5678',
      prefecture: '東京都',
      city: '世田谷区',
      municipalityCodes: ['062014'],
      consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: true },
      locale: 'ja',
      formToken: '…',
    },
  });
export type PublicEventRegistrationInput = z.infer<typeof PublicEventRegistration>;
export type PublicEventRegistrationForm = z.input<typeof PublicEventRegistration>;

export const SlotRef = z.object({
  id: z.uuid(),
  startsAt: z.string(),
  endsAt: z.string(),
  boothId: z.uuid(),
  boothName: z.string(),
  boothNameEn: z
    .string()
    .nullable()
    .describe('The booth’s English name; null: none (English pages show the Japanese one)'),
});

export const PublicRegistrationResult = z.object({
  status: z.literal('registered'),
  alreadyRegistered: z
    .boolean()
    .describe('true: this address was already registered; nothing was added and the ticket mail is sent again'),
  eventId: z.uuid(),
  slot: SlotRef.nullable(),
});
export type PublicRegistrationResultView = z.infer<typeof PublicRegistrationResult>;

export const TicketParams = z.object({ token: tokenText(200) }).strict();

export const Ticket = z.object({
  event: PublicEvent.extend({ onlineUrl: z.string().nullable(), status: z.enum(EVENT_STATUSES) }),
  registration: z.object({
    name: z.string().describe('The registrant’s full name, as the ticket mail addresses them; no other personal data'),
    status: z.enum(['registered', 'cancelled']),
    cancelledAt: z.string().nullable().describe('When the registration was cancelled (+09:00); null while held'),
    checkedIn: z.boolean(),
    checkedInAt: z.string().nullable(),
    slot: SlotRef.nullable(),
  }),
  qrSvg: z.string().describe('The check-in QR code (SVG), carrying the ticket token'),
});
export type TicketView = z.infer<typeof Ticket>;

// --- Staff: registrations, check-in, attendance (personal data) ------------------------------------

export const EventRegistration = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  person: z.object({ id: z.uuid(), name: z.string(), kana: z.string().nullable() }),
  status: z.enum(['registered', 'cancelled']),
  source: z.enum(['public', 'staff']),
  municipalityCodes: z.array(z.string()),
  slot: SlotRef.nullable(),
  checkedInAt: z.string().nullable(),
  checkinMethod: z
    .enum(['qr', 'desk', 'walk_in', 'after_event'])
    .nullable()
    .describe('after_event: recorded after the event from a paper list, dated at the event'),
  cancelledAt: z.string().nullable().describe('When it was cancelled (by staff, the registrant, or not at all: null)'),
  createdAt: z.string(),
});
export type EventRegistrationView = z.infer<typeof EventRegistration>;

export const RegistrationParams = z.object({ id: z.uuid(), registrationId: z.uuid() }).strict();

export const RegistrationsQuery = z
  .object({
    q: searchText(200).optional().describe('Name or kana, full- and half-width alike'),
    ...Pagination,
  })
  .strict();

export const RegistrationsPage = z.object({ items: z.array(EventRegistration), total: z.number().int() });

export const StaffRegistration = z
  .object({
    personId: z.uuid(),
    slotId: z.uuid().nullable().optional(),
    checkIn: z.boolean().default(false).describe('Walk-in: check the person in at once'),
    locale: z
      .enum(['ja', 'en'])
      .default('ja')
      .describe(
        'Language of the ticket mail (sent when the person has an email address) and of later mails about the registration',
      ),
  })
  .strict()
  .meta({ example: { personId: '00000000-0000-4000-8000-000000000000', checkIn: true } });
export type StaffRegistrationInput = z.infer<typeof StaffRegistration>;

export const StaffRegistrationResult = z.object({
  alreadyRegistered: z.boolean().describe('true: the person was already registered (200); nothing was added'),
  registration: EventRegistration,
});
export type StaffRegistrationResultView = z.infer<typeof StaffRegistrationResult>;

export const CheckinRequest = z
  .object({
    registrationId: z.uuid().optional().describe('Found by name at the desk'),
    qrToken: tokenText(200).optional().describe('Scanned from the ticket’s QR code'),
  })
  .strict()
  .refine((v) => (v.registrationId === undefined) !== (v.qrToken === undefined), {
    ...refineProblem('registration_or_token'),
    // Only when the fields themselves are fine, so a bad field is named alone.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({ example: { registrationId: '00000000-0000-4000-8000-000000000000' } });
export type CheckinRequestInput = z.infer<typeof CheckinRequest>;

export const AttendanceAfterEvent = z
  .object({
    registrationIds: z.array(z.uuid()).min(1).max(500).describe('Registrations the paper list shows as come'),
  })
  .strict()
  .meta({ example: { registrationIds: ['00000000-0000-4000-8000-000000000000'] } });

export const AttendanceAfterEventResult = z.object({
  recorded: z.array(z.uuid()).describe('Marked as come, dated at the event'),
  alreadyCheckedIn: z.array(z.uuid()).describe('Already checked in at the event: left as they were'),
});

export const CheckinResult = z.object({
  alreadyCheckedIn: z.boolean(),
  checkedInAt: z.string().describe('The first (and only) check-in time, +09:00'),
  registration: EventRegistration,
});
export type CheckinResultView = z.infer<typeof CheckinResult>;

export const AttendanceItem = EventRegistration.extend({
  hasFollowUp: z.boolean().describe('A consultation was recorded for the person on or after the event’s day'),
});

export const Attendance = z.object({
  event: EventSummary,
  totals: z.object({
    registered: z.number().int(),
    checkedIn: z.number().int(),
    notCheckedIn: z.number().int(),
    walkIns: z.number().int(),
    slotBookings: z.number().int(),
    checkedInWithoutFollowUp: z.number().int(),
  }),
  booths: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      municipality: MunicipalityRef.nullable(),
      organization: OrganizationRef.nullable(),
      booked: z.number().int(),
      checkedIn: z.number().int(),
    }),
  ),
  items: z.array(AttendanceItem).describe('Registrations within your scope'),
  withoutFollowUp: z
    .array(AttendanceItem)
    .describe('Came (checked in) but no consultation on or after the event’s day'),
});
export type AttendanceView = z.infer<typeof Attendance>;

export const Headcount = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  countedOn: z.string(),
  count: z.number().int(),
  note: z.string().nullable(),
  countedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
});
export type HeadcountView = z.infer<typeof Headcount>;
export const HeadcountsList = z.object({
  items: z.array(Headcount),
  total: z.number().int().describe('Sum of the counts'),
});
