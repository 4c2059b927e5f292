/**
 * The person API shape, shared by routes (validation, OpenAPI) and the web form (types). The
 * write schemas live in src/shared/schemas/people.ts, so the web's form checks with them too.
 */
import { z } from 'zod';
import { CONSENT_PURPOSES, LINK_KINDS, PREFECTURES, STAGES } from '../../shared/domain.js';
import { MunicipalityCode, Pagination, searchText } from '../../platform/validation.js';
import { COUNT_BOUND, PEOPLE_ORDERS } from './people.search-rules.js';

export {
  CreatePerson,
  type CreatePersonInput,
  PersonLink,
  UpdatePerson,
  type UpdatePersonInput,
} from '../../shared/schemas/people.js';

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
    kind: z.enum(LINK_KINDS).optional().describe('Only people with a tie of this kind (to `municipality` when given)'),
    stage: z
      .enum(STAGES)
      .optional()
      .describe(
        'Only people at this stage (docs/stages.md) with `municipality` when given, else with any municipality',
      ),
    consent: z
      .enum(CONSENT_PURPOSES)
      .optional()
      .describe('Only people whose current answer for this consent purpose is yes (for all or for `municipality`)'),
    sort: z
      .enum(PEOPLE_ORDERS)
      .optional()
      .describe(
        "relevance (a search's default: readings starting with the search first, then kana order), kana, newest (a plain list's default) or oldest",
      ),
    limit: Pagination.limit,
    cursor: z
      .string()
      .max(2000)
      .optional()
      .describe('`nextCursor` of the previous page (keyset paging); absent for the first page'),
  })
  .strict();

export const PeoplePage = z.object({
  items: z.array(Person),
  total: z
    .number()
    .int()
    .describe(
      `Matches, exact up to ${COUNT_BOUND}; when totalIsExact is false there are more than this (show "${COUNT_BOUND.toLocaleString('en')}+")`,
    ),
  totalIsExact: z.boolean(),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

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
