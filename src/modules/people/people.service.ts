/**
 * People: create, find, read, change, merge, delete and purge — each call scoped by
 * platform/scope and written to the audit trail in the same transaction as the change.
 */
import { and, asc, count, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { auditEvents } from '../../platform/audit/audit.tables.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { assertPersonInScope, personScope } from './people.scope.js';
import { municipalities } from '../../platform/places.tables.js';
import type { LinkKind } from '../../shared/domain.js';
import { normalizeEmail, normalizePhone, searchGrams, searchKey } from '../../shared/normalize.js';
import { people, personLinks } from './people.tables.js';
import { matchingPeople, searchPeople, type PeopleSearch } from './people.search.js';
import { linkKeysOf } from './people.search-rules.js';
import type { CreatePersonInput, PersonView, UpdatePersonInput } from './people.schemas.js';

type PersonRow = typeof people.$inferSelect;
type Link = { municipalityCode: string; kind: LinkKind };

/** The only way a person leaves the server: fields chosen here, never the raw row. */
/** The columns a person's view shows (not the search text, grams and keys behind the search). */
const SHOWN_COLUMNS = {
  id: people.id,
  name: people.name,
  kana: people.kana,
  email: people.email,
  phone: people.phone,
  postalCode: people.postalCode,
  prefecture: people.prefecture,
  city: people.city,
  birthYear: people.birthYear,
  notes: people.notes,
  isDemo: people.isDemo,
  createdAt: people.createdAt,
  updatedAt: people.updatedAt,
};
type ShownRow = Pick<PersonRow, keyof typeof SHOWN_COLUMNS>;

export function presentPerson(row: ShownRow, links: Link[]): PersonView {
  return {
    id: row.id,
    name: row.name,
    kana: row.kana,
    email: row.email,
    phone: row.phone,
    postalCode: row.postalCode,
    prefecture: row.prefecture as PersonView['prefecture'],
    city: row.city,
    birthYear: row.birthYear,
    notes: row.notes,
    links: [...links].sort(
      (a, b) => a.municipalityCode.localeCompare(b.municipalityCode) || a.kind.localeCompare(b.kind),
    ),
    isDemo: row.isDemo === 1,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

type ContactFields = Pick<PersonRow, 'name' | 'kana' | 'email' | 'phone'>;

/** Derived columns: dedupe keys and the search text with its index grams. */
export function derivedColumns(p: ContactFields) {
  const emailKey = p.email ? normalizeEmail(p.email) : null;
  const phoneKey = p.phone ? normalizePhone(p.phone) : null;
  const parts = [searchKey(p.name), p.kana ? searchKey(p.kana) : '', emailKey ?? '', phoneKey ?? ''].filter(Boolean);
  const grams = new Set<string>();
  for (const part of parts) for (const g of searchGrams(part)) grams.add(g);
  return { emailKey, phoneKey, searchText: parts.join('\n'), searchGrams: [...grams] };
}

async function linksOf(db: Db, personIds: string[]): Promise<Map<string, Link[]>> {
  const map = new Map<string, Link[]>();
  if (personIds.length === 0) return map;
  const rows = await db.select().from(personLinks).where(inArray(personLinks.personId, personIds));
  for (const r of rows) {
    const list = map.get(r.personId) ?? [];
    list.push({ municipalityCode: r.municipalityCode, kind: r.kind as LinkKind });
    map.set(r.personId, list);
  }
  return map;
}

function uniqueLinks(links: Link[]): Link[] {
  const seen = new Map<string, Link>();
  for (const l of links) seen.set(`${l.municipalityCode}:${l.kind}`, l);
  return [...seen.values()];
}

/** Checks that the codes exist and that a municipality's staff only link their own municipality. */
async function checkLinks(db: Db, ctx: StaffContext, links: Link[], { requireOwn }: { requireOwn: boolean }) {
  const fields: Record<string, FieldProblem> = {};
  const codes = [...new Set(links.map((l) => l.municipalityCode))];
  const known = codes.length
    ? new Set(
        (
          await db.select({ code: municipalities.code }).from(municipalities).where(inArray(municipalities.code, codes))
        ).map((r) => r.code),
      )
    : new Set<string>();
  const scope = scopedMunicipalities(ctx.actor);
  links.forEach((l, i) => {
    if (!known.has(l.municipalityCode)) {
      fields[`links.${i}.municipalityCode`] = {
        problem: 'unknown_municipality',
        params: { value: l.municipalityCode },
      };
    } else if (scope && !scope.includes(l.municipalityCode)) {
      fields[`links.${i}.municipalityCode`] = { problem: 'outside_scope' };
    }
  });
  if (requireOwn && scope && !links.some((l) => scope.includes(l.municipalityCode))) {
    fields.links ??= { problem: 'must_include_own_municipality' };
  }
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
}

/** People (not deleted) sharing the normalized email or phone, and whether the actor may see each. */
async function sameContactPeople(
  db: Db,
  ctx: StaffContext,
  keys: { emailKey: string | null; phoneKey: string | null },
  excludeId?: string,
) {
  const matches: SQL[] = [];
  if (keys.emailKey) matches.push(eq(people.emailKey, keys.emailKey));
  if (keys.phoneKey) matches.push(eq(people.phoneKey, keys.phoneKey));
  if (!matches.length) return [];
  const conditions = [or(...matches)!, isNull(people.deletedAt)];
  if (excludeId) conditions.push(sql`${people.id} <> ${excludeId}`);
  return db
    .select({ id: people.id, name: people.name, visible: sql<boolean>`(${personScope(ctx.actor)})` })
    .from(people)
    .where(and(...conditions))
    .limit(10);
}

/**
 * Live people in scope with the same name and a reading that does not differ (searchKey folds
 * full/half width, hiragana/katakana and spaces, so 村山 四郎 / ﾑﾗﾔﾏ ｼﾛｳ and 村山四郎 / むらやま しろう
 * are one name), whose email and phone do not contradict the new person's. A name is not an
 * identity: such a person is offered as a candidate, and the caller may say the new person is
 * someone else (`distinctFrom`). People outside the caller's scope are not named by their name.
 */
async function sameNamePeople(
  db: Db,
  ctx: StaffContext,
  person: { name: string; kana: string | null; emailKey: string | null; phoneKey: string | null },
) {
  const nameKey = searchKey(person.name);
  if (!nameKey) return [];
  const kanaKey = person.kana ? searchKey(person.kana) : '';
  // name_key is the normalized name (the first line of search_text), a btree key of its own.
  const rows = await db
    .select({
      id: people.id,
      name: people.name,
      kana: people.kana,
      emailKey: people.emailKey,
      phoneKey: people.phoneKey,
    })
    .from(people)
    .where(and(isNull(people.deletedAt), personScope(ctx.actor), eq(people.nameKey, nameKey)))
    .orderBy(asc(people.createdAt), asc(people.id))
    .limit(20);
  const differs = (a: string | null, b: string | null) => Boolean(a && b && a !== b);
  return rows.filter(
    (r) =>
      !differs(kanaKey || null, r.kana ? searchKey(r.kana) : null) &&
      !differs(person.emailKey, r.emailKey) &&
      !differs(person.phoneKey, r.phoneKey),
  );
}

async function refuseDuplicates(
  db: Db,
  ctx: StaffContext,
  keys: { emailKey: string | null; phoneKey: string | null },
  excludeId?: string,
) {
  const same = await sameContactPeople(db, ctx, keys, excludeId);
  if (!same.length) return;
  const visible = same.filter((p) => p.visible);
  if (!visible.length) throw new AppError('DUPLICATE_PERSON', { messageKey: 'DUPLICATE_PERSON_HIDDEN' });
  throw new AppError('DUPLICATE_PERSON', {
    details: { candidates: visible.map(({ id, name }) => ({ id, name, match: 'contact' as const })) },
  });
}

/**
 * A new person whose name and reading match someone already registered (and whose contacts do not
 * tell them apart) is refused with those people as candidates, unless the caller named each of
 * them in `distinctFrom` ("checked: someone else").
 */
async function refuseSameName(
  db: Db,
  ctx: StaffContext,
  person: { name: string; kana: string | null; emailKey: string | null; phoneKey: string | null },
  distinctFrom: readonly string[],
) {
  const same = (await sameNamePeople(db, ctx, person)).filter((p) => !distinctFrom.includes(p.id));
  if (!same.length) return;
  throw new AppError('DUPLICATE_PERSON', {
    messageKey: 'DUPLICATE_PERSON_NAME',
    details: { candidates: same.map(({ id, name }) => ({ id, name, match: 'name' as const })) },
  });
}

/**
 * Serializes intakes and person creations of the same email and phone keys until the end of the
 * transaction. Locks are taken in a fixed order, so two intakes sharing one key never deadlock.
 */
export async function lockContactKeys(
  tx: Tx,
  keys: { emailKey: string | null; phoneKey: string | null },
): Promise<void> {
  const names = [
    keys.emailKey ? `person-intake:e:${keys.emailKey}` : null,
    keys.phoneKey ? `person-intake:p:${keys.phoneKey}` : null,
  ]
    .filter((k): k is string => k !== null)
    .sort();
  for (const name of names) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
}

/**
 * Adds `kind` links of the person to the municipalities, keeping those already there; returns the
 * municipalities newly linked. Used where another fact implies a link (a consultation, a move,
 * a sign-up); scope checks are the caller's.
 */
export async function addPersonLinks(
  tx: Tx,
  personId: string,
  codes: readonly string[],
  kind: LinkKind,
): Promise<string[]> {
  if (!codes.length) return [];
  const added = await tx
    .insert(personLinks)
    .values([...new Set(codes)].map((municipalityCode) => ({ personId, municipalityCode, kind })))
    .onConflictDoNothing()
    .returning({ code: personLinks.municipalityCode });
  return added.map((r) => r.code);
}

export async function createPerson(db: Db, ctx: StaffContext, input: CreatePersonInput): Promise<PersonView> {
  const links = uniqueLinks(input.links ?? []);
  await checkLinks(db, ctx, links, { requireOwn: true });
  const fields = {
    name: input.name,
    kana: input.kana ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    postalCode: input.postalCode ?? null,
    prefecture: input.prefecture ?? null,
    city: input.city ?? null,
    birthYear: input.birthYear ?? null,
    notes: input.notes ?? null,
  };
  const derived = derivedColumns(fields);
  return inTransaction(db, async (tx) => {
    // The same lock as the public intakes (people.intake.ts): two creations of one address, or a
    // creation and a sign-up, cannot both see "nobody has it yet".
    await lockContactKeys(tx, derived);
    // And one creation of a name at a time, so two saves of one new visitor cannot both pass.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`person-name:${searchKey(fields.name)}`}))`);
    await refuseDuplicates(tx, ctx, derived);
    await refuseSameName(tx, ctx, { ...fields, ...derived }, input.distinctFrom ?? []);
    const [row] = await tx
      .insert(people)
      // The link keys with the row, so the links' trigger finds them true and writes nothing more.
      .values({ ...fields, ...derived, linkKeys: linkKeysOf(links), createdBy: ctx.actor.staffId })
      .returning();
    if (links.length) await tx.insert(personLinks).values(links.map((l) => ({ ...l, personId: row!.id })));
    await recordAudit(tx, ctx, {
      action: 'person.create',
      entityType: 'person',
      entityId: row!.id,
      personId: row!.id,
      details: { fields: Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== null), links },
    });
    return presentPerson(row!, links);
  });
}

/** One person in scope, presented, without recording a read (callers audit what they do with it). */
export async function getPersonRecord(db: Db, ctx: StaffContext, id: string): Promise<PersonView> {
  const row = await assertPersonInScope(db, ctx.actor, id);
  return presentPerson(row, (await linksOf(db, [id])).get(id) ?? []);
}

export async function getPerson(db: Db, ctx: StaffContext, id: string): Promise<PersonView> {
  const person = await getPersonRecord(db, ctx, id);
  await recordAudit(db, ctx, { action: 'person.read', entityType: 'person', entityId: id, personId: id });
  return person;
}

export type PeopleFilter = { q?: string; municipality?: string; kind?: LinkKind };

/**
 * Every person in scope matching the filter, counted exactly — for exports, which may read
 * everything (the interactive list pages with people.search.ts instead).
 */
export async function countPeopleExactly(db: Db, ctx: StaffContext, filter: PeopleFilter): Promise<number> {
  return (await db.select({ n: count() }).from(people).where(matchingPeople(ctx, filter)))[0]?.n ?? 0;
}

/** One page of the people matching the filter in id order, after `afterId` (keyset), presented. */
export async function peopleInIdOrder(
  db: Db,
  ctx: StaffContext,
  filter: PeopleFilter,
  page: { afterId?: string; limit: number },
): Promise<PersonView[]> {
  const rows = await db
    .select()
    .from(people)
    .where(and(matchingPeople(ctx, filter), page.afterId ? sql`${people.id} > ${page.afterId}::uuid` : undefined))
    .orderBy(asc(people.id))
    .limit(page.limit);
  const links = await linksOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentPerson(r, links.get(r.id) ?? []));
}

/** The interactive list and search (people.search.ts), presented and audited. */
export async function findPeople(db: Db, ctx: StaffContext, search: PeopleSearch) {
  const found = await searchPeople(db, ctx, search);
  // A page's people with their links in one statement (the list is the busiest read).
  const rows = found.ids.length
    ? await db
        .select({
          ...SHOWN_COLUMNS,
          links: sql<
            Link[]
          >`coalesce((select json_agg(json_build_object('municipalityCode', l.municipality_code, 'kind', l.kind))
                 from ${personLinks} l where l.person_id = ${people.id}), '[]'::json)`,
        })
        .from(people)
        .where(inArray(people.id, found.ids))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = found.ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [presentPerson(row, row.links)] : [];
  });
  await recordAudit(db, ctx, {
    action: 'people.search',
    entityType: 'person',
    details: {
      hasQuery: Boolean(search.q?.trim()),
      municipality: search.municipality ?? null,
      kind: search.kind ?? null,
      results: items.length,
      total: found.total,
      totalIsExact: found.totalIsExact,
    },
  });
  return { items, total: found.total, totalIsExact: found.totalIsExact, nextCursor: found.nextCursor };
}

/**
 * Fields whose old and new values the audit trail keeps beside the changed-field list. The trail
 * is append-only and outlives an erasure on request, which promises to keep only ids: so names,
 * contact details, postal codes and free-text notes are named as changed but their values are not
 * copied into it; the coarse facts (prefecture, city, birth year) are.
 */
const VALUES_AUDITED = ['prefecture', 'city', 'birthYear'] as const;

function auditedValues(before: PersonRow, changes: Partial<PersonRow>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of VALUES_AUDITED) {
    if (field in changes) out[field] = { from: before[field] ?? null, to: changes[field] ?? null };
  }
  return out;
}

const EDITABLE = ['name', 'kana', 'email', 'phone', 'postalCode', 'prefecture', 'city', 'birthYear', 'notes'] as const;

export async function updatePerson(
  db: Db,
  ctx: StaffContext,
  id: string,
  patch: UpdatePersonInput,
): Promise<PersonView> {
  return inTransaction(db, async (tx) => {
    const row = await assertPersonInScope(tx, ctx.actor, id);
    const changes: Partial<PersonRow> = {};
    for (const field of EDITABLE) {
      const value = patch[field];
      if (value === undefined) continue;
      if (field === 'name' && value === null) continue;
      if (row[field] !== value) (changes as Record<string, unknown>)[field] = value;
    }
    const currentLinks = (await linksOf(tx, [id])).get(id) ?? [];
    let nextLinks = currentLinks;
    if (patch.links) {
      const requested = uniqueLinks(patch.links);
      await checkLinks(tx, ctx, requested, { requireOwn: true });
      const scope = scopedMunicipalities(ctx.actor);
      // Links to municipalities outside the caller's scope are not theirs to remove.
      const kept = scope ? currentLinks.filter((l) => !scope.includes(l.municipalityCode)) : [];
      nextLinks = uniqueLinks([...kept, ...requested]);
    }
    const linkKey = (l: Link) => `${l.municipalityCode}:${l.kind}`;
    const before = new Set(currentLinks.map(linkKey));
    const after = new Set(nextLinks.map(linkKey));
    const added = nextLinks.filter((l) => !before.has(linkKey(l)));
    const removed = currentLinks.filter((l) => !after.has(linkKey(l)));
    const changedFields = Object.keys(changes);
    if (!changedFields.length && !added.length && !removed.length) return presentPerson(row, currentLinks);

    const merged = { ...row, ...changes };
    const derived = derivedColumns(merged);
    if ('email' in changes || 'phone' in changes) {
      await refuseDuplicates(
        tx,
        ctx,
        {
          emailKey: 'email' in changes ? derived.emailKey : null,
          phoneKey: 'phone' in changes ? derived.phoneKey : null,
        },
        id,
      );
    }
    const [updated] = await tx
      .update(people)
      // The link keys as they will be, so the links' trigger below finds nothing to rewrite.
      .set({ ...changes, ...derived, linkKeys: linkKeysOf(nextLinks), updatedAt: new Date() })
      .where(eq(people.id, id))
      .returning();
    for (const l of removed) {
      await tx
        .delete(personLinks)
        .where(
          and(
            eq(personLinks.personId, id),
            eq(personLinks.municipalityCode, l.municipalityCode),
            eq(personLinks.kind, l.kind),
          ),
        );
    }
    if (added.length) await tx.insert(personLinks).values(added.map((l) => ({ ...l, personId: id })));
    await recordAudit(tx, ctx, {
      action: 'person.update',
      entityType: 'person',
      entityId: id,
      personId: id,
      details: {
        fields: changedFields,
        changes: auditedValues(row, changes),
        linksAdded: added,
        linksRemoved: removed,
      },
    });
    return presentPerson(updated!, nextLinks);
  });
}

/** Soft delete: hidden everywhere, kept for the audit period; purge removes it for real. */
export async function deletePerson(db: Db, ctx: StaffContext, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    await assertPersonInScope(tx, ctx.actor, id);
    await tx.update(people).set({ deletedAt: new Date() }).where(eq(people.id, id));
    await recordAudit(tx, ctx, { action: 'person.delete', entityType: 'person', entityId: id, personId: id });
  });
}

/**
 * Merges `sourceId` into `targetId`. The target keeps its own values; empty target fields take
 * the source's; conflicting contact details of the source are kept in the target's notes so
 * nothing is lost. Links are united. The source is closed (soft-deleted, merged_into = target).
 */
export async function mergePeople(db: Db, ctx: StaffContext, targetId: string, sourceId: string): Promise<PersonView> {
  if (targetId === sourceId) throw new AppError('VALIDATION', { fields: { sourceId: { problem: 'same_person' } } });
  return inTransaction(db, async (tx) => {
    const target = await assertPersonInScope(tx, ctx.actor, targetId);
    const source = await assertPersonInScope(tx, ctx.actor, sourceId);
    const changes: Partial<PersonRow> = {};
    const conflicts: string[] = [];
    for (const field of EDITABLE) {
      if (field === 'notes') continue;
      const t = target[field];
      const s = source[field];
      if (s === null || s === undefined) continue;
      if (t === null || t === undefined) (changes as Record<string, unknown>)[field] = s;
      else if (t !== s && (field === 'email' || field === 'phone')) conflicts.push(`${field}: ${s}`);
    }
    const today = new Date().toISOString().slice(0, 10);
    const noteParts = [
      target.notes,
      source.notes,
      conflicts.length ? `[${today} 統合 / merged] ${conflicts.join(', ')}` : null,
    ];
    const notes = noteParts.filter(Boolean).join('\n') || null;
    if (notes !== target.notes) changes.notes = notes;
    const derived = derivedColumns({ ...target, ...changes });
    const [updated] = await tx
      .update(people)
      .set({ ...changes, ...derived, updatedAt: new Date() })
      .where(eq(people.id, targetId))
      .returning();
    const links = await linksOf(tx, [targetId, sourceId]);
    const targetLinks = links.get(targetId) ?? [];
    const have = new Set(targetLinks.map((l) => `${l.municipalityCode}:${l.kind}`));
    const moved = (links.get(sourceId) ?? []).filter((l) => !have.has(`${l.municipalityCode}:${l.kind}`));
    if (moved.length) await tx.insert(personLinks).values(moved.map((l) => ({ ...l, personId: targetId })));
    await tx.update(people).set({ deletedAt: new Date(), mergedInto: targetId }).where(eq(people.id, sourceId));
    await recordAudit(tx, ctx, {
      action: 'person.merge',
      entityType: 'person',
      entityId: targetId,
      personId: targetId,
      details: { sourceId, fieldsTaken: Object.keys(changes), linksAdded: moved },
    });
    await recordAudit(tx, ctx, {
      action: 'person.merged_away',
      entityType: 'person',
      entityId: sourceId,
      personId: sourceId,
      details: { targetId },
    });
    return presentPerson(updated!, [...targetLinks, ...moved]);
  });
}

/** Visible people who share this person's normalized email or phone: merge candidates. */
export async function findDuplicatesOf(db: Db, ctx: StaffContext, id: string): Promise<PersonView[]> {
  const row = await assertPersonInScope(db, ctx.actor, id);
  const same = (await sameContactPeople(db, ctx, row, id)).filter((p) => p.visible);
  if (!same.length) return [];
  const rows = await db
    .select()
    .from(people)
    .where(
      inArray(
        people.id,
        same.map((p) => p.id),
      ),
    );
  const links = await linksOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentPerson(r, links.get(r.id) ?? []));
}

/** The person's history as the audit trail recorded it, newest first. */
export async function personHistory(db: Db, ctx: StaffContext, id: string) {
  await assertPersonInScope(db, ctx.actor, id);
  const rows = await db
    .select({ event: auditEvents, actorName: staff.name })
    .from(auditEvents)
    .leftJoin(staff, eq(staff.id, auditEvents.actorStaffId))
    .where(eq(auditEvents.personId, id))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(200);
  return rows.map(({ event, actorName }) => ({
    at: event.at.toISOString(),
    action: event.action,
    actor: event.actorStaffId ? { id: event.actorStaffId, name: actorName ?? event.actorLabel ?? '' } : null,
    details: event.details,
  }));
}

/**
 * People per municipality, counted within the actor's scope: a municipality staffer's figure for
 * any municipality is the number of people they would find behind it in the people list (the
 * same `personScope`), never the prefecture's count.
 */
export async function countPeopleByMunicipality(db: Db, ctx: StaffContext) {
  const rows = await db
    .select({
      municipalityCode: personLinks.municipalityCode,
      count: sql<number>`count(distinct ${personLinks.personId})::int`,
    })
    .from(personLinks)
    .innerJoin(people, eq(people.id, personLinks.personId))
    .where(and(isNull(people.deletedAt), personScope(ctx.actor)))
    .groupBy(personLinks.municipalityCode);
  return rows;
}
