/**
 * Erasure of everything Kankei holds about a person — the person records, their sign-ups, cards,
 * mail and the origin of their own actions — for staff (data-subject deletion) and for the
 * supporter themself. It spans the modules that hold personal data, so it lives here in the
 * registry, above them: people itself depends on none of them.
 */
import { inArray, or, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { forgetPublicOrigins, recordAudit } from '../../platform/audit/audit.service.js';
import { outboundMail } from '../../platform/mail/mail.tables.js';
import { recordErasedCards } from '../cards/index.js';
import { assertPersonInScope } from '../people/index.js';
import { people } from '../people/index.js';
import { registrations } from './registry.tables.js';

/**
 * Data-subject deletion: removes the person, their links and every record earlier merged into
 * them. The audit trail keeps only the ids and the fact of the purge.
 */
export async function purgePerson(db: Db, ctx: StaffContext, id: string): Promise<{ purged: number }> {
  return inTransaction(db, async (tx) => {
    await assertPersonInScope(tx, ctx.actor, id, { includeDeleted: true });
    const purged = await erasePersonRecords(tx, id);
    await recordAudit(tx, ctx, {
      action: 'person.purge',
      entityType: 'person',
      entityId: id,
      personId: id,
      details: { purgedRecords: purged },
    });
    return { purged };
  });
}

/**
 * Deletes a person and every record merged into them; all their dependent rows go by cascade.
 * Their public sign-ups go too — confirmed ones and any still pending with one of their addresses
 * — with every mail to them (by person, and sign-up confirmations by sign-up), and the audit
 * trail forgets where their own actions came from (IP, user agent). No scope check and no audit:
 * callers (staff purge, a supporter deleting their registration) do both. Returns how many person
 * records were erased.
 */
export async function erasePersonRecords(tx: Tx, id: string): Promise<number> {
  const chain = await queryRows<{ id: string }>(
    tx,
    sql`
      with recursive merged(id) as (
        select ${id}::uuid
        union
        select p.id from ${people} p join merged m on p.merged_into = m.id
      )
      select id from merged`,
  );
  const ids = chain.map((r) => r.id);
  await recordErasedCards(tx, ids);
  const addressKeys = (await tx.select({ emailKey: people.emailKey }).from(people).where(inArray(people.id, ids)))
    .map((p) => p.emailKey)
    .filter((k): k is string => Boolean(k));
  const signUps = await tx
    .select({ id: registrations.id })
    .from(registrations)
    .where(
      or(
        inArray(registrations.personId, ids),
        addressKeys.length ? inArray(registrations.emailKey, addressKeys) : undefined,
      ),
    );
  const signUpIds = signUps.map((r) => r.id);
  // Mail names the person but is not tied by a foreign key (a confirmation predates the person).
  await tx
    .delete(outboundMail)
    .where(
      or(
        inArray(outboundMail.personId, ids),
        signUpIds.length ? inArray(outboundMail.registrationId, signUpIds) : undefined,
      ),
    );
  await forgetPublicOrigins(tx, { personIds: ids, registrationIds: signUpIds });
  if (signUpIds.length) await tx.delete(registrations).where(inArray(registrations.id, signUpIds));
  await tx.delete(people).where(inArray(people.id, ids));
  return ids.length;
}
