/**
 * The person API shape, shared by routes (validation, OpenAPI) and the web form (types). The
 * write schemas live in src/shared/schemas/people.ts, so the web's form checks with them too.
 */
import { z } from 'zod';
import { LINK_KINDS, PREFECTURES } from '../../shared/domain.js';
import { MunicipalityCode, Pagination, searchText } from '../../platform/validation.js';

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
