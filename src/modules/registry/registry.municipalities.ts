/**
 * The municipalities a person is a registered supporter of, within the prefecture's cap: the one
 * way the registry adds them (sign-up confirmation, the supporter's own page) and removes them.
 * The cap holds under concurrent requests: additions for one person wait for each other on a
 * transaction-level advisory lock, then count and insert in the same transaction.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/unit-of-work.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { addPersonLinks, personLinks, supporterRegistrations } from '../people/index.js';

/** Takes the person's registration lock until COMMIT: one change to their municipalities at a time. */
export async function lockSupporterMunicipalities(tx: Tx, personId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`supporter-municipalities:${personId}`}))`);
}

/** The municipalities the person supports now (their `supporter` links). */
export async function supportedMunicipalities(tx: Tx, personId: string): Promise<string[]> {
  const rows = await tx
    .select({ code: personLinks.municipalityCode })
    .from(personLinks)
    .where(and(eq(personLinks.personId, personId), eq(personLinks.kind, 'supporter')));
  return rows.map((r) => r.code);
}

/** The refusal of a request over the cap, naming the field. */
export function capExceeded(field: string, cap: number, current: number): AppError {
  const problem: FieldProblem = { problem: 'registration_cap', params: { max: cap, current } };
  return new AppError('VALIDATION', { fields: { [field]: problem }, details: { registrationCap: cap, current } });
}

/**
 * Adds supporter registrations for `codes` (those already held are kept as they are), refusing
 * the whole request when the person would then support more than `cap` municipalities. The
 * supporter links' trigger creates each registration (basic); `identity` is then recorded on the
 * new and the named ones where it says more than what is recorded (never lowering a document check).
 * Returns the codes newly added.
 */
export async function addSupportedMunicipalities(
  tx: Tx,
  input: { personId: string; codes: readonly string[]; cap: number; identity: 'email' | 'none'; field?: string },
): Promise<string[]> {
  await lockSupporterMunicipalities(tx, input.personId);
  const current = await supportedMunicipalities(tx, input.personId);
  const fresh = [...new Set(input.codes)].filter((c) => !current.includes(c));
  if (current.length + fresh.length > input.cap)
    throw capExceeded(input.field ?? 'municipalityCodes', input.cap, current.length);
  const added = await addPersonLinks(tx, input.personId, fresh, 'supporter');
  if (input.identity === 'email' && input.codes.length)
    await tx
      .update(supporterRegistrations)
      .set({ identityAssurance: 'email' })
      .where(
        and(
          eq(supporterRegistrations.personId, input.personId),
          inArray(supporterRegistrations.municipalityCode, [...input.codes]),
          eq(supporterRegistrations.identityAssurance, 'none'),
        ),
      );
  return added;
}

/** Ends the person's registration with one municipality; the last one stays (deleting /me is the way out). */
export async function removeSupportedMunicipality(tx: Tx, personId: string, code: string): Promise<boolean> {
  await lockSupporterMunicipalities(tx, personId);
  const current = await supportedMunicipalities(tx, personId);
  if (!current.includes(code)) return false;
  if (current.length === 1)
    throw new AppError('VALIDATION', { fields: { municipalityCode: { problem: 'last_municipality' } } });
  await tx
    .delete(personLinks)
    .where(
      and(
        eq(personLinks.personId, personId),
        eq(personLinks.municipalityCode, code),
        eq(personLinks.kind, 'supporter'),
      ),
    );
  return true;
}
