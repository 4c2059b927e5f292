/** Outreach's routes: the organization's sender identity, the one-click unsubscribe, segments. */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { publicContext, staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import { SEGMENT_USERS, SETTINGS_ADMINS } from './outreach.policy.js';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  segmentPeople,
  updateSegment,
} from './outreach.segments.js';
import {
  OrganizationSettings,
  OrganizationSettingsBody,
  Segment,
  SegmentBody,
  SegmentPatch,
  SegmentPeoplePage,
  SegmentPeopleQuery,
  SegmentPreviewBody,
  UnsubscribeBody,
  UnsubscribeInfo,
  UnsubscribeQuery,
  UnsubscribeState,
} from './outreach.schemas.js';
import { unsubscribe, unsubscribeInfo } from './outreach.unsubscribe.js';
import { getOrganizationSettings, putOrganizationSettings } from './outreach.settings.js';

export type OutreachRouteOptions = { db: Db; publicRateLimit: number };

export async function outreachRoutes(appBase: FastifyInstance, { db, publicRateLimit }: OutreachRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const rateLimit = { max: publicRateLimit, timeWindow: '10 minutes' };
  const unsubscribeTags = ['public unsubscribe'];

  app.get(
    '/public/unsubscribe',
    {
      config: { public: true },
      schema: {
        tags: unsubscribeTags,
        summary: 'The unsubscribe link opened in a browser: redirects to the page with the button (never withdraws)',
        description:
          'A GET withdraws nothing (mail scanners open links); 303 to /unsubscribe?token=…, whose button POSTs here.',
        querystring: UnsubscribeQuery,
        response: { 303: z.null().describe('To the unsubscribe page'), 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      await reply.redirect(`/unsubscribe?token=${encodeURIComponent(request.query.token)}`, 303);
    },
  );

  app.get(
    '/public/unsubscribe/info',
    {
      config: { public: true },
      schema: {
        tags: unsubscribeTags,
        summary: 'What an unsubscribe link is for: the consent, whether it is still given, who sends (audited)',
        querystring: UnsubscribeQuery,
        response: { 200: UnsubscribeInfo, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => unsubscribeInfo(db, publicContext(request), request.query.token),
  );

  // RFC 8058: mail providers POST the body as a form. Only this route reads forms.
  await app.register(async (forms) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
      const bytes = body as Buffer;
      if (!isUtf8(bytes)) return done(new AppError('INVALID_ENCODING'), undefined);
      done(null, Object.fromEntries(new URLSearchParams(bytes.toString('utf8'))));
    });
    forms.withTypeProvider<ZodTypeProvider>().post(
      '/public/unsubscribe',
      {
        config: { public: true, rateLimit },
        schema: {
          tags: unsubscribeTags,
          summary: 'One-click unsubscribe (RFC 8058): withdraws the consent the token names',
          description:
            'Body `List-Unsubscribe=One-Click` (form, as mail providers send it, or JSON); token in the URL. ' +
            'Writes a dated consent row (granted false) and audits it; already withdrawn answers the same 200.',
          querystring: UnsubscribeQuery,
          body: UnsubscribeBody,
          response: { 200: UnsubscribeState, 400: ErrorResponse, 404: ErrorResponse },
        },
      },
      (request) => unsubscribe(db, publicContext(request), request.query.token),
    );
  });

  app.get(
    '/settings/organization',
    {
      schema: {
        tags: ['settings'],
        summary:
          'Who every mail comes from (every signed-in staff member): the organization’s name, short name, addresses, signature, contact',
        response: { 200: OrganizationSettings },
      },
    },
    () => getOrganizationSettings(db),
  );

  app.put(
    '/settings/organization',
    {
      config: { roles: SETTINGS_ADMINS },
      schema: {
        tags: ['settings'],
        summary: 'Set the organization’s sender identity (admin, audited); mails queued from now on use it',
        body: OrganizationSettingsBody,
        response: { 200: OrganizationSettings, 400: ErrorResponse, 403: ErrorResponse },
      },
    },
    (request) => putOrganizationSettings(db, staffContext(request), request.body),
  );

  const segmentTags = ['segments'];
  const segmentUsers = { roles: SEGMENT_USERS } as const;
  const segmentReaders = { roles: SEGMENT_USERS, personalData: true } as const;

  app.get(
    '/segments',
    {
      config: segmentUsers,
      schema: {
        tags: segmentTags,
        summary: 'Saved segments you see (municipality staff: their municipality’s and the prefecture-wide ones)',
        response: { 200: z.object({ items: z.array(Segment) }) },
      },
    },
    (request) => listSegments(db, staffContext(request)),
  );

  app.post(
    '/segments',
    {
      config: segmentUsers,
      schema: {
        tags: segmentTags,
        summary: 'Save a segment (owned by your municipality, or prefecture-wide for prefecture and center)',
        body: SegmentBody,
        response: { 201: Segment, 400: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createSegment(db, staffContext(request), request.body)),
  );

  app.post(
    '/segments/preview',
    {
      config: segmentReaders,
      schema: {
        tags: segmentTags,
        summary: 'Count and first page of the people the filters select, within your scope (audited)',
        body: SegmentPreviewBody,
        response: { 200: SegmentPeoplePage, 400: ErrorResponse },
      },
    },
    (request) => previewSegment(db, staffContext(request), request.body),
  );

  app.get(
    '/segments/:id',
    {
      config: segmentUsers,
      schema: {
        tags: segmentTags,
        summary: 'One saved segment',
        params: IdParams,
        response: { 200: Segment, 404: ErrorResponse },
      },
    },
    (request) => getSegment(db, staffContext(request), request.params.id),
  );

  app.patch(
    '/segments/:id',
    {
      config: segmentUsers,
      schema: {
        tags: segmentTags,
        summary: 'Rename a segment or change its filters (its owner municipality’s staff, prefecture and center)',
        params: IdParams,
        body: SegmentPatch,
        response: { 200: Segment, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => updateSegment(db, staffContext(request), request.params.id, request.body),
  );

  app.delete(
    '/segments/:id',
    {
      config: segmentUsers,
      schema: {
        tags: segmentTags,
        summary: 'Delete a saved segment (the people stay as they are)',
        params: IdParams,
        response: { 204: z.null(), 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      await deleteSegment(db, staffContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/segments/:id/people',
    {
      config: segmentReaders,
      schema: {
        tags: segmentTags,
        summary: 'The people of a saved segment now, by name, within your scope (audited)',
        params: IdParams,
        querystring: SegmentPeopleQuery,
        response: { 200: SegmentPeoplePage, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => segmentPeople(db, staffContext(request), request.params.id, request.query),
  );
}
