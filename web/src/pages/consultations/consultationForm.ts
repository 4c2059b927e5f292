/**
 * The quick consultation form's values and their check: a thin transform to the request body,
 * checked by the route's own schema (src/shared/schemas/consultations.ts) with the service's
 * "one person" rule, so the form refuses what the server would.
 */
import type { z } from 'zod';
import { CreateConsultation, consultationPersonProblems } from '../../../../src/shared/schemas/consultations';
import type { PersonChoice } from '../../components/PersonChooser';

export type Referral = {
  enabled: boolean;
  target: 'organization' | 'municipality';
  organizationId: string;
  municipalityCode: string;
  area: string;
  message: string;
};

export type FormState = {
  channel: string;
  occurredOn: string;
  consultantId: string;
  topics: string[];
  municipalityCodes: string[];
  desiredTiming: string;
  householdSize: string;
  withChildren: '' | 'yes' | 'no';
  familyNote: string;
  notes: string;
  nextAction: string;
  nextActionDue: string;
  eventId: string;
  boothId: string;
  referral: Referral;
  /** The person chosen or entered (PersonChooser); part of the values so the check sees it. */
  person: PersonChoice;
};

/**
 * The request body the form stands for: the form's thin transform before the shared
 * CreateConsultation schema checks it (a household size as typed: not a number fails as NaN).
 */
export function bodyOf(form: FormState) {
  const p = form.person;
  const r = form.referral;
  const size = form.householdSize.trim();
  return {
    ...(p?.kind === 'existing' ? { personId: p.person.id } : {}),
    ...(p?.kind === 'new'
      ? {
          person: {
            name: p.person.name.trim(),
            kana: p.person.kana,
            email: p.person.email,
            phone: p.person.phone,
            prefecture: p.person.prefecture,
            city: p.person.city,
          },
        }
      : {}),
    channel: form.channel,
    occurredOn: form.occurredOn,
    ...(form.consultantId ? { consultantId: form.consultantId } : {}),
    topics: form.topics,
    municipalityCodes: form.municipalityCodes,
    desiredTiming: form.desiredTiming || null,
    householdSize: size === '' ? null : /^\d+$/.test(size) ? Number(size) : Number.NaN,
    withChildren: form.withChildren === '' ? null : form.withChildren === 'yes',
    familyNote: form.familyNote,
    notes: form.notes,
    nextAction: form.nextAction,
    nextActionDue: form.nextActionDue || null,
    eventId: form.eventId || null,
    boothId: form.eventId && form.boothId ? form.boothId : null,
    ...(r.enabled
      ? {
          referral: {
            ...(r.target === 'organization'
              ? { toOrganizationId: r.organizationId }
              : { toMunicipalityCode: r.municipalityCode }),
            area: r.area,
            message: r.message,
          },
        }
      : {}),
  };
}

/** The service's "one person" rule on whatever came through, as the problem it would name. */
const personProblem = (body: unknown, field: 'personId' | 'person') =>
  typeof body === 'object' && body !== null ? consultationPersonProblems(body)[field] : undefined;
// `when`: also checked when other fields failed, so every problem shows at once.
const always = () => true;

/** The route's schema with the service's "one person" rule, which the server checks after it. */
export const consultationForm = CreateConsultation.refine((body) => !personProblem(body, 'personId'), {
  path: ['personId'],
  params: { problem: 'person_or_id' },
  when: always,
}).refine((body) => !personProblem(body, 'person'), {
  path: ['person'],
  params: { problem: 'person_and_id' },
  when: always,
});
export type ConsultationBody = z.output<typeof consultationForm>;
