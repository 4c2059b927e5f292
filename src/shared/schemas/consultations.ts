/**
 * What staff send to record a consultation (with a new person and a referral, optionally). Pure
 * (zod and src/shared only): the consultation route validates with these and the web's quick
 * entry form checks the same before sending (src/modules/consultations/consultations.schemas.ts
 * re-exports them). Dates may be written western or in 和暦 and leave as yyyy-mm-dd.
 */
import { z } from 'zod';
import type { FieldProblem } from '../codes.js';
import {
  CONSULTATION_CHANNELS,
  CONSULTATION_LIMITS,
  CONSULTATION_TOPICS,
  DESIRED_TIMINGS,
  REFERRAL_AREAS,
} from '../domain.js';
import { parseJapaneseDate } from '../wareki.js';
import { MunicipalityCode, optionalText, problemIssue } from './fields.js';
import { CreatePerson } from './people.js';

/** A calendar date as people write it (western or 和暦, any width), stored as yyyy-mm-dd. */
export function dateInput() {
  return z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const parsed = parseJapaneseDate(s);
      if (parsed.ok) return parsed.date;
      ctx.issues.push(problemIssue(s, parsed));
      return z.NEVER;
    })
    .describe('Date: 2024-06-01, 2024/6/1, 令和6年6月1日 or R6.6.1 (Asia/Tokyo); answered as yyyy-mm-dd');
}

/** A person created with the consultation: the quick-entry subset of POST /api/people. */
export const NewConsultationPerson = CreatePerson.pick({
  name: true,
  kana: true,
  email: true,
  phone: true,
  prefecture: true,
  city: true,
  distinctFrom: true,
})
  .strict()
  .describe(
    'A new person, created like POST /api/people (same dedupe: 409 DUPLICATE_PERSON with the candidates, never overwritten)',
  );

/** A referral created together with the consultation. */
export const ReferralTarget = z
  .object({
    toOrganizationId: z.uuid().optional().describe('A partner agency (organizations); or toMunicipalityCode'),
    toMunicipalityCode: MunicipalityCode.optional().describe('A municipality; or toOrganizationId'),
    area: z
      .enum(REFERRAL_AREAS)
      .describe('jobs 就業, housing 住まい, farming 就農, childcare 子育て, business 起業, other'),
    message: optionalText(CONSULTATION_LIMITS.referralMessage, { multiline: true }).describe(
      'What the partner is asked to do',
    ),
  })
  .strict();

export const CreateConsultation = z
  .object({
    personId: z.uuid().optional().describe('An existing person; or `person` to create one'),
    person: NewConsultationPerson.optional(),
    channel: z.enum(CONSULTATION_CHANNELS),
    occurredOn: dateInput(),
    consultantId: z.uuid().optional().describe('Staff member who consulted; default: the caller'),
    topics: z.array(z.enum(CONSULTATION_TOPICS)).max(CONSULTATION_TOPICS.length).default([]),
    municipalityCodes: z
      .array(MunicipalityCode)
      .max(35)
      .default([])
      .describe('Municipalities of interest; each also becomes an `interest` link of the person'),
    desiredTiming: z.enum(DESIRED_TIMINGS).nullable().optional(),
    householdSize: z.number().int().min(1).max(20).nullable().optional(),
    withChildren: z.boolean().nullable().optional(),
    familyNote: optionalText(CONSULTATION_LIMITS.familyNote, { multiline: true }),
    notes: optionalText(CONSULTATION_LIMITS.notes, { multiline: true }),
    nextAction: optionalText(CONSULTATION_LIMITS.nextAction),
    nextActionDue: dateInput().nullable().optional(),
    eventId: z.uuid().nullable().optional().describe('The event (fair, mini day…) where it took place'),
    boothId: z.uuid().nullable().optional().describe('The booth of that event'),
    referral: ReferralTarget.optional().describe('Refer the person at once (オール山形)'),
  })
  .strict()
  .meta({
    example: {
      person: {
        name: '移住 希望子',
        kana: 'イジュウ キボウコ',
        email: 'kiboko@example.jp',
        prefecture: '東京都',
        city: '世田谷区',
      },
      channel: 'fair',
      occurredOn: '2024-06-01',
      topics: ['work', 'housing'],
      municipalityCodes: ['062014'],
      desiredTiming: 'within_1_year',
      householdSize: 3,
      withChildren: true,
      familyNote: '夫婦と小学生1人',
      notes: 'IT系のリモートワーク。雪の暮らしが不安。',
      nextAction: '空き家バンクの物件情報を送る',
      nextActionDue: '2024-06-15',
    },
  });
export type CreateConsultationInput = z.infer<typeof CreateConsultation>;
/** What the quick-entry form sends, before the server's defaults. */
export type CreateConsultationForm = z.input<typeof CreateConsultation>;

/** A consultation is about one person: an existing one (`personId`) or one created with it. */
export function consultationPersonProblems(input: { personId?: string | undefined; person?: unknown }) {
  const fields: Record<string, FieldProblem> = {};
  if (!input.personId && !input.person) fields.personId = { problem: 'person_or_id' };
  if (input.personId && input.person) fields.person = { problem: 'person_and_id' };
  return fields;
}
