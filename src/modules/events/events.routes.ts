import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { publicContext, staffContext } from '../../platform/request-context.js';
import type { JobQueue } from '../../platform/jobs.js';
import type { PublicUrl } from '../../platform/public-url.js';
import { pickLocale } from '../../platform/i18n.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  Attendance,
  AttendanceAfterEvent,
  AttendanceAfterEventResult,
  CheckinRequest,
  CheckinResult,
  CreateEvent,
  CreateHeadcount,
  EventDetail,
  Headcount,
  HeadcountsList,
  EventsPage,
  EventsQuery,
  PublicEventDetail,
  PublicEventRegistration,
  PublicEventsPage,
  PublicRegistrationResult,
  EventRegistration,
  RegistrationParams,
  RegistrationsPage,
  RegistrationsQuery,
  StaffRegistration,
  StaffRegistrationResult,
  Ticket,
  TicketParams,
  UpdateEvent,
} from './events.schemas.js';
import {
  cancelRegistration,
  checkIn,
  recordAttendanceAfterEvent,
  eventAttendance,
  type FollowUpSince,
  findRegistrations,
  registerByStaff,
} from './events.desk.js';
import { cancelTicket, getTicket, getTicketCalendar, registerForEvent } from './events.registration.js';
import { createEvent, getEvent, getPublicEvent, listEvents, listPublicEvents, updateEvent } from './events.service.js';
import { EVENT_MANAGERS } from './events.policy.js';
import { addHeadcount, listHeadcounts } from './events.headcounts.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import {
  ATTENDANCE_FORMATS,
  ATTENDANCE_MEDIA_TYPES,
  attendanceFile,
  attendanceFileName,
} from './events.attendance-file.js';

export type EventRouteOptions = {
  db: Db;
  /** The ticket and cancellation mails are built and queued by jobs (events.jobs.ts), not in the request. */
  jobs: JobQueue;
  /** Origin of the links in ticket and cancellation mails (configuration only, never a request header). */
  publicUrl: PublicUrl;
  /** Public sign-ups per IP per 10 minutes (shared with the registry's setting). */
  publicRateLimit: number;
  /** Minimum time between fetching the form token and sending the form. */
  minFillMs: number;
  /** Whether a person was followed up since a day: the attendance list's "no follow-up yet". */
  followUpSince: FollowUpSince;
};

const tags = ['events'];
const publicTags = ['public events'];
const personalData = { personalData: true } as const;

export async function eventRoutes(appBase: FastifyInstance, options: EventRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { db, jobs } = options;

  // --- Staff: events (not personal data) ---------------------------------------------------------

  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: 'Events with registered / capacity / checked-in counts (any staff role)',
        querystring: EventsQuery,
        response: { 200: EventsPage, 400: ErrorResponse },
      },
    },
    (request) => listEvents(db, request.query),
  );

  app.post(
    '/events',
    {
      config: { roles: EVENT_MANAGERS },
      schema: {
        tags,
        summary: 'Create an event with its booths and slots (municipality staff: events their municipality hosts)',
        body: CreateEvent,
        response: { 201: EventDetail, 400: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createEvent(db, staffContext(request), request.body)),
  );

  app.get(
    '/events/:id',
    {
      schema: {
        tags,
        summary: 'An event with its booths and slots and their booked counts',
        params: IdParams,
        response: { 200: EventDetail, 404: ErrorResponse },
      },
    },
    (request) => getEvent(db, request.params.id),
  );

  app.patch(
    '/events/:id',
    {
      config: { roles: EVENT_MANAGERS },
      schema: {
        tags,
        summary:
          'Change an event: title, times, venue, link, capacity (never below the registrations held), status, booths and slots. Status cancelled calls the event off: each registrant still registered is mailed (background job, in their language); audited once',
        params: IdParams,
        body: UpdateEvent,
        response: { 200: EventDetail, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) =>
      updateEvent(db, staffContext(request), request.params.id, request.body, {
        jobs,
        publicUrl: options.publicUrl(),
      }),
  );

  // --- Staff: registrations, check-in, attendance (personal data, scoped) ------------------------

  app.get(
    '/events/:id/registrations',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Registrations within your scope, searched by name or kana (the check-in desk; audited)',
        params: IdParams,
        querystring: RegistrationsQuery,
        response: { 200: RegistrationsPage, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => findRegistrations(db, staffContext(request), request.params.id, request.query),
  );

  app.post(
    '/events/:id/registrations',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          'Register a known person (walk-in or by phone), optionally checking them in; a person with an email address gets the ticket mail (background job). 200 with the existing registration when already registered (no mail)',
        params: IdParams,
        body: StaffRegistration,
        response: {
          200: StaffRegistrationResult,
          201: StaffRegistrationResult,
          400: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { status, result } = await registerByStaff(db, staffContext(request), request.params.id, request.body, {
        jobs,
        publicUrl: options.publicUrl(),
      });
      return reply.status(status).send(result);
    },
  );

  app.post(
    '/events/:id/registrations/:registrationId/cancel',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          "Cancel a registration: its place and booked slot are freed at once (audited) and the registrant is mailed (background job, in the registration's language). Idempotent: a second call answers the same, frees nothing and mails nothing. Center: any; municipality staff: registrations in their scope; partners: none (404). 409 ALREADY_CHECKED_IN",
        params: RegistrationParams,
        response: { 200: EventRegistration, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    (request) =>
      cancelRegistration(db, staffContext(request), request.params.id, request.params.registrationId, {
        jobs,
        publicUrl: options.publicUrl(),
      }),
  );

  app.post(
    '/events/:id/checkins',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          'Check a registration in by registration id or scanned QR token, on the event’s days (Japan time): 201 the first time, 200 with alreadyCheckedIn and the original time after; 409 REGISTRATION_CANCELLED for a cancelled one; 409 CONFLICT before the first day or after the last (details.firstDay, lastDay; after the event use POST …/attendance/after-event)',
        params: IdParams,
        body: CheckinRequest,
        response: {
          200: CheckinResult,
          201: CheckinResult,
          400: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { status, result } = await checkIn(db, staffContext(request), request.params.id, request.body);
      return reply.status(status).send(result);
    },
  );

  app.post(
    '/events/:id/attendance/after-event',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          'Record attendance after the event from a paper list: once the last day (Japan time) has passed, the registrations named are marked as come at the event’s start (method after_event, engagements dated at the event; audited event.attendance_after). 409 before then; 404 (nothing written) for an id outside this event or your scope',
        params: IdParams,
        body: AttendanceAfterEvent,
        response: { 200: AttendanceAfterEventResult, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    (request) => recordAttendanceAfterEvent(db, staffContext(request), request.params.id, request.body),
  );

  app.get(
    '/events/:id/attendance',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          'Who registered, who came and when, who booked which booth, who came without follow-up yet (within your scope; audited)',
        params: IdParams,
        response: { 200: Attendance, 404: ErrorResponse },
      },
    },
    (request) => eventAttendance(db, staffContext(request), request.params.id, options.followUpSince),
  );

  // --- Staff: headcounts (not personal data) -------------------------------------------------------

  app.get(
    '/events/:id/headcounts',
    {
      schema: {
        tags,
        summary: 'Visitors counted without registering (door counts, tours, conferences brought in), with their sum',
        params: IdParams,
        response: { 200: HeadcountsList, 404: ErrorResponse },
      },
    },
    (request) => listHeadcounts(db, request.params.id),
  );

  app.post(
    '/events/:id/headcounts',
    {
      config: { roles: EVENT_MANAGERS },
      schema: {
        tags,
        summary:
          'Record a headcount: day, people counted, note on the evidence; who counted is the caller. Counts towards KPI ③ when the event is held in the prefecture (venueMunicipalityCode). Audited',
        params: IdParams,
        body: CreateHeadcount,
        response: { 201: Headcount, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addHeadcount(db, staffContext(request), request.params.id, request.body)),
  );

  app.get(
    '/events/:id/attendance/export',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          'The attendance list as .xlsx or CSV (UTF-8 with BOM): Japanese headers, Japan time (within your scope; audited)',
        params: IdParams,
        querystring: z.object({ format: z.enum(ATTENDANCE_FORMATS).default('xlsx') }).strict(),
        response: {
          200: {
            description: 'The file',
            content: {
              [ATTENDANCE_MEDIA_TYPES.xlsx]: { schema: z.string() },
              'text/csv': { schema: z.string() },
            },
          },
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const ctx = staffContext(request);
      const view = await eventAttendance(db, ctx, request.params.id, options.followUpSince);
      const { format } = request.query;
      const file = await attendanceFile(view, format);
      await recordAudit(db, ctx, {
        action: 'event.attendance_export',
        entityType: 'event',
        entityId: request.params.id,
        details: { format, rows: view.items.length },
      });
      // A file, not the JSON the schema types: sent through the untyped reply.
      return (reply as FastifyReply)
        .header('content-type', ATTENDANCE_MEDIA_TYPES[format])
        .header('content-disposition', `attachment; filename="${attendanceFileName(view, format)}"`)
        .send(file);
    },
  );

  // --- Public --------------------------------------------------------------------------------------

  app.get(
    '/public/events',
    {
      config: { public: true },
      schema: {
        tags: publicTags,
        summary: 'Published events that have not ended, soonest first',
        response: { 200: PublicEventsPage },
      },
    },
    () => listPublicEvents(db),
  );

  app.get(
    '/public/events/:id',
    {
      config: { public: true },
      schema: {
        tags: publicTags,
        summary: 'A published event with its booths and the free places of each slot',
        params: IdParams,
        response: { 200: PublicEventDetail, 404: ErrorResponse },
      },
    },
    (request) => getPublicEvent(db, request.params.id),
  );

  app.post(
    '/public/events/:id/registrations',
    {
      config: { public: true, rateLimit: { max: options.publicRateLimit, timeWindow: '10 minutes' } },
      schema: {
        tags: publicTags,
        summary:
          'Register for an event (consents as in the registry sign-up); the ticket mail (sent by a background job right after) carries an .ics file and the check-in QR code. 200 with the existing registration when already registered (the ticket is mailed again at most every 10 minutes); 409 EVENT_FULL / SLOT_FULL / EVENT_CLOSED, or CONFLICT when the form token was already used (reload the form)',
        params: IdParams,
        body: PublicEventRegistration,
        response: {
          200: PublicRegistrationResult,
          201: PublicRegistrationResult,
          400: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const { result, created } = await registerForEvent(
        { db, jobs, publicUrl: options.publicUrl(), minFillMs: options.minFillMs },
        publicContext(request),
        request.params.id,
        request.body,
      );
      return reply.status(created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/public/tickets/:token',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags: publicTags,
        summary: 'The ticket behind a QR code / mailed link: the event and the registration’s state (first name only)',
        params: TicketParams,
        response: { 200: Ticket, 404: ErrorResponse },
      },
    },
    (request) => getTicket(db, request.params.token),
  );

  app.post(
    '/public/tickets/:token/cancel',
    {
      config: { public: true, rateLimit: { max: options.publicRateLimit, timeWindow: '10 minutes' } },
      schema: {
        tags: publicTags,
        summary:
          "The registrant cancels with the ticket token: the place and slot are freed at once and a confirmation is mailed (background job, in the registration's language); answers the ticket (status cancelled). Idempotent (mailed once); 409 ALREADY_CHECKED_IN after check-in",
        params: TicketParams,
        response: { 200: Ticket, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse },
      },
    },
    (request) =>
      cancelTicket(db, { jobs, publicUrl: options.publicUrl() }, publicContext(request), request.params.token),
  );

  app.get(
    '/public/tickets/:token/ics',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags: publicTags,
        summary:
          'The ticket’s calendar entry (.ics, text/calendar) for “add to calendar”: the same file the confirmation mail attaches',
        params: TicketParams,
        response: {
          200: {
            description: 'The calendar file, as attachment kankei-event.ics',
            content: {
              'text/calendar': {
                schema: z.string().describe('VCALENDAR with one VEVENT; times in UTC, the same UID as the mailed file'),
              },
            },
          },
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const calendar = await getTicketCalendar(
        db,
        request.params.token,
        options.publicUrl(),
        pickLocale(request.headers['accept-language']),
      );
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="kankei-event.ics"')
        .send(calendar);
    },
  );
}
