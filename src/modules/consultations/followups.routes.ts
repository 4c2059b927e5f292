/** Follow-ups after the move (定住・定着) and their per-prefecture schedule. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  Followup,
  FollowupRule,
  FollowupSettings,
  FollowupsPage,
  FollowupsQuery,
  PutFollowupRule,
  UpdateFollowup,
} from './consultations.schemas.js';
import { CONSULTING_ROLES, FOLLOWUP_RULE_ADMINS } from './consultations.policy.js';
import { findFollowups, followupSettings, putFollowupRule, updateFollowup } from './followups.service.js';

const tags = ['followups'];

export async function followupRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/followups',
    {
      config: { personalData: true },
      schema: {
        tags,
        summary: 'Follow-up tasks within your scope, earliest due first (audited)',
        description:
          'due=overdue: open and due before today (Asia/Tokyo); upcoming: open, due today or later; all (default).',
        querystring: FollowupsQuery,
        response: { 200: FollowupsPage, 400: ErrorResponse },
      },
    },
    (request) => findFollowups(db, staffContext(request), request.query),
  );

  app.patch(
    '/followups/:id',
    {
      config: { personalData: true, roles: CONSULTING_ROLES },
      schema: {
        tags,
        summary: 'Mark a follow-up done or skipped, with a note',
        params: IdParams,
        body: UpdateFollowup,
        response: { 200: Followup, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => updateFollowup(db, staffContext(request), request.params.id, request.body),
  );

  app.get(
    '/settings/followups',
    {
      config: { roles: FOLLOWUP_RULE_ADMINS },
      schema: {
        tags: ['settings'],
        summary: 'Months after the move-in at which follow-ups fall due, per prefecture (admin)',
        response: { 200: FollowupSettings },
      },
    },
    () => followupSettings(db),
  );

  app.put(
    '/settings/followups',
    {
      config: { roles: FOLLOWUP_RULE_ADMINS },
      schema: {
        tags: ['settings'],
        summary: 'Set the follow-up months of a prefecture (admin); tasks already scheduled keep their dates',
        body: PutFollowupRule,
        response: { 200: FollowupRule, 400: ErrorResponse, 403: ErrorResponse },
      },
    },
    (request) => putFollowupRule(db, staffContext(request), request.body),
  );
}
