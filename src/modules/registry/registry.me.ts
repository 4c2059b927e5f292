/**
 * The supporter's own changes to their registration on /me: the municipalities they support
 * (within the prefecture's cap). Each change is audited, as the supporter's own (`via` self).
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { municipalities } from '../../platform/places.tables.js';
import type { SelfContext } from '../../platform/request-context.js';
import { consentRows, consents } from '../people/index.js';
import { addSupportedMunicipalities, removeSupportedMunicipality } from './registry.municipalities.js';
import type { AddMyMunicipalitiesInput } from './registry.schemas.js';
import type { Supporter } from './registry.service.js';
import { registrationCap } from './registry.settings.js';

/**
 * Adds municipalities to the supporter's registration, refused as a whole over the cap (also when
 * several requests arrive at once). Sharing the contact with the new ones is asked for each time.
 * Returns the codes newly added.
 */
export async function addMyMunicipalities(
  db: Db,
  ctx: SelfContext,
  supporter: Supporter,
  input: AddMyMunicipalitiesInput,
): Promise<string[]> {
  const codes = [...new Set(input.municipalityCodes)];
  const known = new Set(
    (
      await db.select({ code: municipalities.code }).from(municipalities).where(inArray(municipalities.code, codes))
    ).map((r) => r.code),
  );
  const fields: Record<string, FieldProblem> = {};
  input.municipalityCodes.forEach((c, i) => {
    if (!known.has(c)) fields[`municipalityCodes.${i}`] = { problem: 'unknown_municipality', params: { value: c } };
  });
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  const cap = await registrationCap(db);
  return inTransaction(db, async (tx) => {
    // The session came from a mailed link: the address is confirmed.
    const added = await addSupportedMunicipalities(tx, { personId: supporter.personId, codes, cap, identity: 'email' });
    const rows = consentRows(
      supporter.personId,
      { shareWithMunicipalities: input.shareWithMunicipalities },
      added,
      'self_service',
    );
    if (rows.length) await tx.insert(consents).values(rows);
    await recordAudit(tx, ctx, {
      action: 'supporter.municipalities.add',
      entityType: 'person',
      entityId: supporter.personId,
      personId: supporter.personId,
      details: { added, shareWithMunicipalities: input.shareWithMunicipalities, registrationCap: cap },
    });
    return added;
  });
}

/** Ends the supporter's registration with one municipality (never the last one). */
export async function removeMyMunicipality(db: Db, ctx: SelfContext, supporter: Supporter, code: string) {
  await inTransaction(db, async (tx) => {
    const removed = await removeSupportedMunicipality(tx, supporter.personId, code);
    if (!removed) throw new AppError('NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'supporter.municipalities.remove',
      entityType: 'person',
      entityId: supporter.personId,
      personId: supporter.personId,
      municipalityCode: code,
      details: { removed: [code] },
    });
  });
}
