/**
 * Bulk person resolution for imports: thousands of incoming contacts at a time, resolved
 * set-based in SQL against the people table with the same dedupe rules as the people API —
 * the normalized email key, else the phone key, of a live person — and the people that are
 * truly new created with their derived search columns, their link to the receiving municipality
 * and their audit rows, all in the caller's transaction.
 *
 * Per batch:
 * 1. the caller numbers the incoming people of the batch (slots) and COPYs each one's keys into
 *    `bulk_people_keys` (`bulkPersonKeys`); and, for the people it expects may be new — those
 *    none of whose keys came up earlier in the import; the database decides which are — their
 *    fields into `bulk_people` (BULK_PEOPLE_COLUMNS, values from `bulkPersonValues`) and their
 *    search columns into `bulk_people_search` (`bulkPersonSearchValues`, the costly part: derived
 *    in JavaScript). People without email and phone always go into `bulk_people`: they are found
 *    by name, reading and postal code;
 * 2. runs MATCH_PEOPLE_SQL, whose last statement lists the slots that are new after all but have
 *    no search columns staged (a person of this import deleted meanwhile, a hash collision, a
 *    name with nothing to search by: rare), and stages those too;
 * 3. runs CREATE_PEOPLE_SQL (its last statement answers how many people it created and how many
 *    existing people it linked), finds `person_id` per slot in `bulk_people_match`, and clears
 *    the staging (CLEAR_PEOPLE_SQL).
 * So the JavaScript work of a batch is done before its SQL starts, and the database is not kept
 * waiting in between. The staged rows are written once and never updated: what a slot resolved
 * to goes into the narrow `bulk_people_match` (slot → person, and how it was found).
 * A person found or created in one batch is found again in the next through the people table's
 * own email and phone keys; the keys a donor used that their person record does not carry (a
 * second email, a new phone) are remembered in `bulk_people_seen` for the rest of the import.
 *
 * Rules beyond the people API's:
 * - A contact without email and phone matches a live person with the same name, reading and
 *   postal code who has neither either (so re-importing a file finds them again).
 * - With `linkOnlyVisible` (municipality staff) a person found outside the caller's municipality
 *   is used as is — no link is added and the caller is not shown who it is — exactly as
 *   POST /api/people refuses to reveal a hidden duplicate. Existing people are never changed:
 *   their fields are not overwritten nor filled in.
 *
 * This is the set-based twin of the one person intake (people.intake.ts): the same keys and the
 * same match — oldest live record, email before phone, deleted people never. It differs on
 * purpose in filling nothing (above) and in letting a shared phone join donors with different
 * addresses (rows sharing a phone are one donor within a file, so across batches too).
 * test/integration/person-intake.test.ts runs one table of cases against both.
 */
import type { LinkKind } from '../../shared/domain.js';
import { searchKey } from '../../shared/normalize.js';
import { derivedColumns } from './people.service.js';

/** Anything that runs SQL text with parameters in the caller's transaction. */
export type BulkSql = { query<T>(text: string, params?: unknown[]): Promise<T[]> };

export const BULK_PEOPLE_COLUMNS = [
  'slot',
  'new_id',
  'name',
  'kana',
  'email',
  'email_key',
  'phone',
  'phone_key',
  'postal_code',
  'prefecture',
  'city',
  'contactless_text',
  'name_grams',
] as const;

/** SQL types of BULK_PEOPLE_COLUMNS, for callers that stage them in tables of their own. */
export const BULK_PEOPLE_COLUMN_TYPES: Record<(typeof BULK_PEOPLE_COLUMNS)[number], string> = {
  slot: 'int',
  new_id: 'uuid',
  name: 'text',
  kana: 'text',
  email: 'text',
  email_key: 'text',
  phone: 'text',
  phone_key: 'text',
  postal_code: 'text',
  prefecture: 'text',
  city: 'text',
  contactless_text: 'text',
  name_grams: 'text[]',
};

/** `first`: the slot's best key (email, else phone, else name), looked up before the others. */
export const BULK_PEOPLE_KEY_COLUMNS = ['slot', 'kind', 'key', 'first'] as const;
export const BULK_PEOPLE_SEARCH_COLUMNS = ['slot', 'search_text', 'search_grams'] as const;

export type BulkPerson = {
  name: string;
  kana: string | null;
  email: string | null;
  /** normalizeEmail(email) */
  emailKey: string | null;
  phone: string | null;
  /** normalizePhone(phone) */
  phoneKey: string | null;
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
};

export type BulkPeopleContext = {
  actor: { staffId: string; email: string; via: string } | null;
  ip: string | null;
  userAgent: string | null;
  municipalityCode: string;
  linkKind: LinkKind;
  /** Municipality staff: people outside their municipality are neither linked nor revealed. */
  linkOnlyVisible: boolean;
  /** Written into the audit details of created and linked people, e.g. {source, importId}. */
  auditDetails: Record<string, string>;
};

/** Creates the staging tables (temporary, dropped at commit) and records the context. */
export async function createPeopleStaging(sql: BulkSql, context: BulkPeopleContext): Promise<void> {
  await sql.query(`
    create temp table bulk_people (
      slot int not null,
      new_id uuid not null,
      name text not null, kana text, email text, email_key text, phone text, phone_key text,
      postal_code text, prefecture text, city text,
      contactless_text text, name_grams text[]
    ) on commit drop`);
  await sql.query(
    `create temp table bulk_people_keys (slot int not null, kind char(1) not null, key text not null, first boolean not null) on commit drop`,
  );
  // What each slot resolved to. via: s = a key remembered earlier in this import, p = the email or
  // phone of a person record (or the name of a contactless one), n = created by this batch.
  // stored_*: the keys the person record carries (to know which keys to remember).
  await sql.query(
    `create temp table bulk_people_match (slot int primary key, person_id uuid not null, via char(1) not null,
       stored_email_key text, stored_phone_key text) on commit drop`,
  );
  await sql.query(
    `create temp table bulk_people_search (slot int not null, search_text text not null, search_grams text[] not null) on commit drop`,
  );
  await sql.query(
    `create temp table bulk_people_seen (kind char(1) not null, key text not null, person_id uuid not null, primary key (kind, key)) on commit drop`,
  );
  await sql.query(
    `create temp table bulk_people_ctx (actor_id uuid, actor_label text, via text not null, ip text, user_agent text,
       municipality_code varchar(6) not null, link_kind varchar(16) not null, link_only_visible boolean not null, details jsonb not null) on commit drop`,
  );
  await sql.query(`insert into bulk_people_ctx values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
    context.actor?.staffId ?? null,
    context.actor?.email ?? null,
    context.actor?.via ?? 'system',
    context.ip,
    context.userAgent?.slice(0, 500) ?? null,
    context.municipalityCode,
    context.linkKind,
    context.linkOnlyVisible,
    JSON.stringify(context.auditDetails),
  ]);
}

const isContactless = (p: Pick<BulkPerson, 'emailKey' | 'phoneKey'>) => !p.emailKey && !p.phoneKey;

/**
 * The staged values of one incoming person, in BULK_PEOPLE_COLUMNS order. For a person without
 * email and phone, also the search text and a few name bigrams to find them by (cheap; rare).
 */
export function bulkPersonValues(slot: number, newId: string, p: BulkPerson): Array<string | number | string[] | null> {
  let contactlessText: string | null = null;
  let nameGrams: string[] | null = null;
  if (isContactless(p)) {
    contactlessText = derivedColumns({ name: p.name, kana: p.kana, email: null, phone: null }).searchText;
    // A few bigrams of the name narrow the GIN index (a one-character name: the character).
    const grams = derivedColumns({ name: p.name, kana: null, email: null, phone: null }).searchGrams;
    const bigrams = grams.filter((g) => [...g].length === 2);
    nameGrams = (bigrams.length ? bigrams : grams).slice(0, 4);
    if (!nameGrams.length) nameGrams = null;
  }
  return [
    slot,
    newId,
    p.name,
    p.kana,
    p.email,
    p.emailKey,
    p.phone,
    p.phoneKey,
    p.postalCode,
    p.prefecture,
    p.city,
    contactlessText,
    nameGrams,
  ];
}

/** Search columns of a person about to be created, in BULK_PEOPLE_SEARCH_COLUMNS order. */
export function bulkPersonSearchValues(
  slot: number,
  p: Pick<BulkPerson, 'name' | 'kana' | 'email' | 'phone'>,
): [number, string, string[]] {
  const { searchText, searchGrams } = derivedColumns(p);
  return [slot, searchText, searchGrams];
}

/**
 * The dedupe keys of an incoming person — its email key (as normalizeEmail gives it), phone key
 * (as normalizePhone gives it) and, only when it has neither, its search text with the postal
 * code. Cheap: no search grams are computed.
 */
export function bulkPersonKeys(
  p: Pick<BulkPerson, 'name' | 'kana' | 'emailKey' | 'phoneKey' | 'postalCode'>,
): Array<{ kind: 'e' | 'p' | 'n'; key: string }> {
  const keys: Array<{ kind: 'e' | 'p' | 'n'; key: string }> = [];
  if (p.emailKey) keys.push({ kind: 'e', key: p.emailKey });
  if (p.phoneKey) keys.push({ kind: 'p', key: p.phoneKey });
  if (!p.emailKey && !p.phoneKey) {
    const text = [searchKey(p.name), p.kana ? searchKey(p.kana) : ''].filter(Boolean).join('\n');
    keys.push({ kind: 'n', key: `${text}|${p.postalCode ?? ''}` });
  }
  return keys;
}

/**
 * Lookup among live people by email key, else phone key; the oldest record wins. The lateral
 * subquery with OFFSET 0 keeps the planner on index lookups: its row estimates for a table growing
 * inside one long transaction are stale, and a hash join over the whole people table for every
 * batch would make large imports quadratic.
 */
const matchPeople = (filter: string) => `
  insert into bulk_people_match (slot, person_id, via, stored_email_key, stored_phone_key)
  select distinct on (k.slot) k.slot, p.id, 'p', p.email_key, p.phone_key
    from bulk_people_keys k
    cross join lateral (
      select p.id, p.created_at, p.email_key, p.phone_key from people p where k.kind = 'e' and p.email_key = k.key and p.deleted_at is null
      union all
      select p.id, p.created_at, p.email_key, p.phone_key from people p where k.kind = 'p' and p.phone_key = k.key and p.deleted_at is null
      offset 0) p
   where ${filter} and not exists (select 1 from bulk_people_match m where m.slot = k.slot)
   order by k.slot, k.kind, p.created_at, p.id`;

/** New people (no match) whose search columns were not staged. */
export const MISSING_SEARCH_SQL = `select distinct k.slot as "missingSlot" from bulk_people_keys k
   where not exists (select 1 from bulk_people_match m where m.slot = k.slot)
     and not exists (select 1 from bulk_people_search s where s.slot = k.slot)
   order by 1`;

/** Step 2: find the people who already exist; the last statement lists new people without search columns. */
export const MATCH_PEOPLE_SQL = [
  // Keys remembered earlier in this import (few: only those their person record does not carry).
  `insert into bulk_people_match (slot, person_id, via)
   select distinct on (k.slot) k.slot, s.person_id, 's'
     from bulk_people_keys k join bulk_people_seen s on s.kind = k.kind and s.key = k.key
    order by k.slot, k.kind`,
  // Each slot's best key first, its other keys only when that found nobody.
  matchPeople(`k.first and k.kind in ('e', 'p')`),
  matchPeople(`not k.first and k.kind in ('e', 'p')`),
  // No email, no phone: same name, reading and postal code, also without email and phone.
  `insert into bulk_people_match (slot, person_id, via)
   select b.slot, p.id, 'p'
     from bulk_people b
     cross join lateral (
       select p.id from people p
        where p.search_grams @> b.name_grams and p.search_text = b.contactless_text
          and p.postal_code is not distinct from b.postal_code
          and p.email_key is null and p.phone_key is null and p.deleted_at is null
        order by p.created_at, p.id limit 1) p
    where b.contactless_text is not null and b.name_grams is not null
      and not exists (select 1 from bulk_people_match m where m.slot = b.slot)`,
  MISSING_SEARCH_SQL,
].join(';\n');

/**
 * Step 3: create, link and audit; remember keys for the next batches. The people created are the
 * slots without a match (all of which have search columns staged by now). The last statement
 * answers `newPeople` and `linkedPeople` (existing people newly linked to the municipality).
 */
export const CREATE_PEOPLE_SQL = [
  `with created as (
     insert into people (id, name, kana, email, email_key, phone, phone_key, postal_code, prefecture, city, search_text, search_grams, link_keys, created_by)
     select b.new_id, b.name, b.kana, b.email, b.email_key, b.phone, b.phone_key, b.postal_code, b.prefecture, b.city, s.search_text, s.search_grams,
            kankei_link_keys(c.municipality_code, c.link_kind), c.actor_id
       from bulk_people b join bulk_people_search s on s.slot = b.slot cross join bulk_people_ctx c
      where not exists (select 1 from bulk_people_match m where m.slot = b.slot)
     returning id)
   insert into bulk_people_match (slot, person_id, via, stored_email_key, stored_phone_key)
   select b.slot, b.new_id, 'n', b.email_key, b.phone_key from bulk_people b join created c on c.id = b.new_id`,
  // Remember the keys a donor used that their person record does not carry.
  `insert into bulk_people_seen (kind, key, person_id)
   select distinct on (k.kind, k.key) k.kind, k.key, m.person_id
     from bulk_people_keys k join bulk_people_match m on m.slot = k.slot
    where case when m.via = 's' then k.kind <> 'n'
               else (k.kind = 'e' and k.key is distinct from m.stored_email_key) or (k.kind = 'p' and k.key is distinct from m.stored_phone_key) end
      and not exists (select 1 from bulk_people_seen s where s.kind = k.kind and s.key = k.key)
    order by k.kind, k.key, k.slot`,
  // Link to the receiving municipality: new people always; existing people unless they have the
  // link already (a probe first: most donors of a large file are linked already, and a probe is
  // cheaper than a conflicting insert) — and, for municipality staff, only people they may see.
  // Audit: person.create for new people, person.update for existing people newly linked.
  `with added as (
     insert into person_links (person_id, municipality_code, kind)
     select distinct m.person_id, c.municipality_code, c.link_kind
       from bulk_people_match m cross join bulk_people_ctx c
      where m.via = 'n'
         or (not exists (select 1 from person_links l
                          where l.person_id = m.person_id and l.municipality_code = c.municipality_code and l.kind = c.link_kind offset 0)
             and (not c.link_only_visible
                  or exists (select 1 from person_links l where l.person_id = m.person_id and l.municipality_code = c.municipality_code offset 0)))
     on conflict do nothing
     returning person_id),
   audited as (
     insert into audit_events (actor_staff_id, actor_label, via, action, entity_type, entity_id, person_id, municipality_code, ip, user_agent, details)
     select c.actor_id, c.actor_label, c.via,
            case when b.slot is not null then 'person.create' else 'person.update' end,
            'person', a.person_id::text, a.person_id, c.municipality_code, c.ip, c.user_agent,
            c.details || case when b.slot is not null
              then jsonb_build_object(
                     'fields', to_jsonb(array_remove(array['name',
                       case when b.kana is not null then 'kana' end, case when b.email is not null then 'email' end,
                       case when b.phone is not null then 'phone' end, case when b.postal_code is not null then 'postalCode' end,
                       case when b.prefecture is not null then 'prefecture' end, case when b.city is not null then 'city' end], null)),
                     'links', jsonb_build_array(jsonb_build_object('municipalityCode', c.municipality_code, 'kind', c.link_kind)))
              else jsonb_build_object('fields', '[]'::jsonb,
                     'linksAdded', jsonb_build_array(jsonb_build_object('municipalityCode', c.municipality_code, 'kind', c.link_kind)),
                     'linksRemoved', '[]'::jsonb)
            end
       from added a
       left join bulk_people b on b.new_id = a.person_id
       cross join bulk_people_ctx c
     returning action)
   select count(*) filter (where action = 'person.create')::int as "newPeople",
          count(*) filter (where action = 'person.update')::int as "linkedPeople"
     from audited`,
].join(';\n');

export const CLEAR_PEOPLE_SQL = 'truncate bulk_people, bulk_people_keys, bulk_people_match, bulk_people_search';
