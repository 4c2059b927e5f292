/**
 * The person API shape, shared by routes (validation, OpenAPI) and the web form (types).
 * Input is normalized here at the edge: kana to katakana, email to NFKC lower-case for the
 * dedupe key, phone and postal code to their canonical forms.
 */
import { z } from 'zod';
import { LINK_KINDS, PERSON_LIMITS, PREFECTURES } from '../../shared/domain.js';
import {
  normalizeKana,
  normalizePhone,
  normalizePostalCode,
  normalizePrefecture,
  toNarrow,
} from '../../shared/normalize.js';
import {
  MunicipalityCode,
  normalizedText,
  optionalText,
  Pagination,
  personNameText,
  refineProblem,
  searchText,
} from '../../platform/validation.js';

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

export const CreatePerson = z.object(personFields).strict();
export type CreatePersonInput = z.infer<typeof CreatePerson>;

export const UpdatePerson = z
  .object({ ...personFields, name: personFields.name.optional() })
  .strict()
  .describe('Any subset of the fields; `links` replaces the whole list within your scope')
  .meta({ example: { city: '酒田市', links: [{ municipalityCode: '062049', kind: 'interest' }] } });
export type UpdatePersonInput = z.infer<typeof UpdatePerson>;

export const Person = z.object({
  id: z.uuid(),
  name: z.string(),
  kana: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  postalCode: z.string().nullable(),
  prefecture: z.enum(PREFECTURES).nullable(),
  city: z.string().nullable(),
  birthYear: z.number().int().nullable(),
  notes: z.string().nullable(),
  links: z.array(z.object({ municipalityCode: z.string(), kind: z.enum(LINK_KINDS) })),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PersonView = z.infer<typeof Person>;

export const PeopleQuery = z
  .object({
    q: searchText(200).optional().describe('Name, kana, email or phone; full- and half-width alike'),
    municipality: MunicipalityCode.optional(),
    ...Pagination,
  })
  .strict();

export const PeoplePage = z.object({ items: z.array(Person), total: z.number().int() });

export const MergePeople = z
  .object({ sourceId: z.uuid().describe('The record merged into this one; it is closed afterwards') })
  .strict()
  .meta({ example: { sourceId: '0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b' } });

export const HistoryItem = z.object({
  at: z.string(),
  action: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
});
