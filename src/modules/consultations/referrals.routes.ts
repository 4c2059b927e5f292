/**
 * Referrals (オール山形). Partners reach only the referrals addressed to their organization,
 * municipality staff those to their municipality, the center all; anything else answers 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  CreateReferral,
  Referral,
  type ReferralView,
  ReferralsPage,
  ReferralsQuery,
  UpdateReferral,
} from './consultations.schemas.js';
import { CONSULTING_ROLES } from './consultations.policy.js';
import { createReferral, findReferrals, updateReferral } from './referrals.service.js';

const tags = ['referrals'];
const errors = { 400: ErrorResponse, 404: ErrorResponse };

export type ReferralRouteOptions = {
  db: Db;
  /** Told of each referral made here, after it committed (outreach mails the receiving partner). */
  onReferred?: (referral: ReferralView) => Promise<unknown>;
};

export async function referralRoutes(appBase: FastifyInstance, { db, onReferred }: ReferralRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/referrals',
    {
      config: { personalData: true, roles: CONSULTING_ROLES },
      schema: {
        tags,
        summary: 'Refer a person to a partner agency or a municipality',
        description:
          'Name the person by personId, caseId or consultationId (one you may see), and exactly one of toOrganizationId / toMunicipalityCode.',
        body: CreateReferral,
        response: { 201: Referral, ...errors },
      },
    },
    async (request, reply) => {
      const referral = await createReferral(db, staffContext(request), request.body);
      if (onReferred)
        await onReferred(referral).catch((err) => request.log.warn({ err }, 'notifying the referral failed'));
      return reply.status(201).send(referral);
    },
  );

  app.get(
    '/referrals',
    {
      config: { personalData: true },
      schema: {
        tags,
        summary: 'Referrals you may see, with the person’s contact and waiting days (audited)',
        description:
          'Center: all. Municipality staff: those to their municipality. Partners: only those to their organization. `open=true` lists sent and accepted ones, longest waiting first.',
        querystring: ReferralsQuery,
        response: { 200: ReferralsPage, 400: ErrorResponse },
      },
    },
    (request) => findReferrals(db, staffContext(request), request.query),
  );

  app.patch(
    '/referrals/:id',
    {
      config: { personalData: true },
      schema: {
        tags,
        summary:
          'Accept, decline or complete a referral with its outcome (the receiving partner or municipality, or the center)',
        params: IdParams,
        body: UpdateReferral,
        response: { 200: Referral, ...errors },
      },
    },
    (request) => updateReferral(db, staffContext(request), request.params.id, request.body),
  );
}
