/**
 * One person intake: "find the person by email or phone, fill their empty fields, else create
 * them", for every place where a person arrives from outside the staff UI — the public registry
 * confirmation and the public event sign-up (and, as its set-based twin, the donor import in
 * people.bulk.ts). The rule, in one place:
 *
 * - Keys are the people module's own (derivedColumns: normalizeEmail, normalizePhone), so
 *   ＴＡＲＯ＠ＥＸＡＭＰＬＥ.ＪＰ and taro@example.jp, or ０９０−… and +81 90…, are one key.
 * - Intakes of one address wait for each other: a transaction-level advisory lock per key (email
 *   and phone, taken in a fixed order), so simultaneous sign-ups of a new address make one person.
 *   A unique index would not do: keys are not unique among people (duplicates are merged by staff)
 *   and would not hold on Citus, where people are distributed by id.
 * - The match is a live person (not deleted) with the same email key; else, with the same phone
 *   key — but a phone never joins two different addresses: with an email given, only a person
 *   without an email matches by phone (a household shares a landline; each member signs up with
 *   their own address). Among several, the oldest record (created_at, then id) wins, every time.
 * - A known person's fields are never overwritten; empty ones are filled from the input. The fill
 *   is audited as `person.update` with the names of the filled fields (never their values).
 * - A new person is created with their derived search columns and audited as `person.create`.
 *
 * Staff creating a person (POST /api/people, a quick consultation) do not take a known person
 * over silently: createPerson answers 409 DUPLICATE_PERSON with the candidates, under the same
 * lock (lockContactKeys) and the same keys.
 */
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { normalizeKana, normalizePostalCode, normalizePrefecture, toNarrow } from '../../shared/normalize.js';
import { derivedColumns, lockContactKeys } from './people.service.js';
import { people } from './people.tables.js';
import type { RequestContext } from '../../platform/request-context.js';

/** What a form or a file says about a person. Empty strings count as not given. */
export type PersonIntakeInput = {
  name: string;
  kana?: string | null;
  email?: string | null;
  phone?: string | null;
  postalCode?: string | null;
  prefecture?: string | null;
  city?: string | null;
};

/** The fields an intake may fill on a known person, in the order they are reported. */
export const INTAKE_FILLABLE = ['kana', 'email', 'phone', 'postalCode', 'prefecture', 'city'] as const;
export type IntakeField = (typeof INTAKE_FILLABLE)[number];

export type PersonIntakeResult = {
  personId: string;
  /** True when this intake created the person. */
  created: boolean;
  /** How a known person was found; null when created. */
  matchedBy: 'email' | 'phone' | null;
  /** The empty fields of a known person this intake filled (names only). */
  filled: IntakeField[];
};

const given = (v: string | null | undefined): string | null => {
  const s = v?.trim();
  return s ? s : null;
};

/**
 * The stored form of intake fields, as the people API stores them (people.schemas): kana as
 * full-width katakana, email and phone narrowed and trimmed, postal code 123-4567, the prefecture's
 * full name. A value its normalizer does not recognize is kept as given (callers validate at the
 * edge; this only folds widths and forms so that one person is written one way).
 */
export function normalizeIntake(input: PersonIntakeInput): Required<PersonIntakeInput> {
  const kana = given(input.kana);
  const email = given(input.email);
  const phone = given(input.phone);
  const postalCode = given(input.postalCode);
  const prefecture = given(input.prefecture);
  return {
    name: input.name,
    kana: kana === null ? null : normalizeKana(kana) || kana,
    email: email === null ? null : toNarrow(email).trim(),
    phone: phone === null ? null : toNarrow(phone).trim(),
    postalCode: postalCode === null ? null : (normalizePostalCode(postalCode) ?? postalCode),
    prefecture: prefecture === null ? null : (normalizePrefecture(prefecture) ?? prefecture),
    city: given(input.city),
  };
}

/** The oldest live person matching the condition, or undefined. */
async function oldestLive(tx: Tx, condition: SQL) {
  const [row] = await tx
    .select()
    .from(people)
    .where(and(condition, isNull(people.deletedAt)))
    .orderBy(asc(people.createdAt), asc(people.id))
    .limit(1);
  return row;
}

/**
 * Resolves the person an intake is about, or creates them (see the file comment for the rule).
 * Runs in the caller's transaction: `tx` must be one, so that the lock, the match, the fill and
 * the audit rows commit or roll back with what the caller records about the person (links,
 * registrations, consents). `audit` goes into the details of the person.create / person.update
 * row, e.g. `{source: 'event_registration', eventId}`: ids and codes, never personal data.
 */
export async function resolveOrCreatePerson(
  tx: Tx,
  origin: RequestContext,
  input: PersonIntakeInput,
  audit: Record<string, unknown>,
): Promise<PersonIntakeResult> {
  const person = normalizeIntake(input);
  const keys = derivedColumns(person);
  await lockContactKeys(tx, keys);

  const byEmail = keys.emailKey ? await oldestLive(tx, eq(people.emailKey, keys.emailKey)) : undefined;
  const byPhone =
    !byEmail && keys.phoneKey
      ? await oldestLive(
          tx,
          keys.emailKey
            ? and(eq(people.phoneKey, keys.phoneKey), isNull(people.emailKey))!
            : eq(people.phoneKey, keys.phoneKey),
        )
      : undefined;
  const known = byEmail ?? byPhone;

  if (known) {
    const fill: Partial<Record<IntakeField, string>> = {};
    for (const field of INTAKE_FILLABLE) {
      const value = person[field];
      if (value !== null && !known[field]) fill[field] = value;
    }
    const filled = INTAKE_FILLABLE.filter((f) => f in fill);
    if (filled.length) {
      await tx
        .update(people)
        .set({ ...fill, ...derivedColumns({ ...known, ...fill }), updatedAt: new Date() })
        .where(eq(people.id, known.id));
      await recordAudit(tx, origin, {
        action: 'person.update',
        entityType: 'person',
        entityId: known.id,
        personId: known.id,
        details: { ...audit, filled },
      });
    }
    return { personId: known.id, created: false, matchedBy: byEmail ? 'email' : 'phone', filled };
  }

  const [created] = await tx
    .insert(people)
    .values({ ...person, ...keys, createdBy: origin.actor?.staffId ?? null })
    .returning({ id: people.id });
  const personId = created!.id;
  await recordAudit(tx, origin, {
    action: 'person.create',
    entityType: 'person',
    entityId: personId,
    personId,
    details: audit,
  });
  return { personId, created: true, matchedBy: null, filled: [] };
}
