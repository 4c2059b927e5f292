/**
 * What staff send to register or change a person. Pure (zod and src/shared only): the server's
 * routes validate with these and the web's person form checks the same before sending
 * (src/modules/people/people.schemas.ts re-exports them). Input is normalized here at the edge:
 * kana to katakana, email to NFKC, phone and postal code to their canonical forms.
 */
import { z } from 'zod';
import { LINK_KINDS, PERSON_LIMITS } from '../domain.js';
import { normalizeKana, normalizePhone, normalizePostalCode, normalizePrefecture, toNarrow } from '../normalize.js';
import { MunicipalityCode, normalizedText, optionalText, personNameText, refineProblem } from './fields.js';

export const PersonLink = z
  .object({
    municipalityCode: MunicipalityCode,
    kind: z
      .enum(LINK_KINDS)
      .describe('roots (出身・ゆかり), interest (関心), supporter (登録サポーター), moved_in (移住済み)'),
  })
  .strict();

const thisYear = () => new Date().getFullYear();

const personFields = {
  name: personNameText(PERSON_LIMITS.name).describe('氏名 as written'),
  kana: normalizedText(PERSON_LIMITS.kana, normalizeKana, 'invalid_kana').describe(
    'フリガナ; stored as full-width katakana',
  ),
  email: normalizedText(
    PERSON_LIMITS.email,
    (s) => {
      const narrow = toNarrow(s).trim();
      return z.email().safeParse(narrow).success ? narrow : null;
    },
    'invalid_email',
  ),
  phone: normalizedText(PERSON_LIMITS.phone, (s) => (normalizePhone(s) ? toNarrow(s).trim() : null), 'invalid_phone'),
  postalCode: normalizedText(PERSON_LIMITS.postalCode, normalizePostalCode, 'invalid_postal_code').describe(
    'Stored as 123-4567',
  ),
  prefecture: normalizedText(12, normalizePrefecture, 'invalid_prefecture').describe(
    'Prefecture of residence, e.g. 東京都',
  ),
  city: optionalText(PERSON_LIMITS.city),
  // The upper bound is checked per request, so a server running over New Year accepts the new year.
  birthYear: z
    .number()
    .int()
    .min(1900)
    .refine((y) => y <= thisYear(), refineProblem('not_future_year'))
    .nullable()
    .optional(),
  notes: optionalText(PERSON_LIMITS.notes, { multiline: true }),
  links: z.array(PersonLink).max(50).optional(),
};

export const CreatePerson = z
  .object({
    ...personFields,
    distinctFrom: z
      .array(z.uuid())
      .max(20)
      .optional()
      .describe(
        'People with the same name and reading the caller checked and found to be someone else (from a 409 DUPLICATE_PERSON with match "name"); a contact match is never passed over',
      ),
  })
  .strict();
export type CreatePersonInput = z.infer<typeof CreatePerson>;

export const UpdatePerson = z
  .object({ ...personFields, name: personFields.name.optional() })
  .strict()
  .describe('Any subset of the fields; `links` replaces the whole list within your scope')
  .meta({ example: { city: '酒田市', links: [{ municipalityCode: '062049', kind: 'interest' }] } });
export type UpdatePersonInput = z.infer<typeof UpdatePerson>;
