/**
 * Engagement records (every touch between a person and a municipality) and the stages derived
 * from them. Municipality staff see and write only their own municipality's records.
 */
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { fieldError } from '../../platform/errors.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { assertPersonInScope } from '../people/index.js';
import { municipalities } from '../../platform/places.tables.js';
import { personLinks } from '../people/index.js';
import type { EngagementKind, LinkKind } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import { engagements } from './engagement.tables.js';
import { deriveStages } from './stages.js';

type EngagementRow = typeof engagements.$inferSelect;

export const presentEngagement = (e: EngagementRow) => ({
  id: e.id,
  municipalityCode: e.municipalityCode,
  kind: e.kind as EngagementKind,
  occurredOn: e.occurredOn,
  source: e.source,
  amountYen: e.amountYen,
  note: e.note,
  createdAt: e.createdAt.toISOString(),
});

/** Restricts to the municipalities the actor may see records of (null: all). */
function municipalityFilter(ctx: StaffContext): SQL | undefined {
  const codes = scopedMunicipalities(ctx.actor);
  return codes === null ? undefined : inArray(engagements.municipalityCode, codes.length ? codes : ['']);
}

export async function listEngagements(db: Db, ctx: StaffContext, personId: string) {
  await assertPersonInScope(db, ctx.actor, personId);
  const rows = await db
    .select()
    .from(engagements)
    .where(and(eq(engagements.personId, personId), municipalityFilter(ctx)))
    .orderBy(desc(engagements.occurredOn), desc(engagements.createdAt));
  return rows.map(presentEngagement);
}

export type NewEngagement = {
  municipalityCode: string;
  kind: EngagementKind;
  occurredOn: string;
  amountYen?: number | null;
  note?: string | null;
};

export async function createEngagement(db: Db, ctx: StaffContext, personId: string, input: NewEngagement) {
  await assertPersonInScope(db, ctx.actor, personId);
  const scope = scopedMunicipalities(ctx.actor);
  if (scope && !scope.includes(input.municipalityCode)) throw fieldError('municipalityCode', 'outside_scope');
  const [known] = await db
    .select({ code: municipalities.code })
    .from(municipalities)
    .where(eq(municipalities.code, input.municipalityCode));
  if (!known) throw fieldError('municipalityCode', 'unknown_municipality', { value: input.municipalityCode });
  if (input.occurredOn > todayInTokyo()) throw fieldError('occurredOn', 'future_date');
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(engagements)
      .values({
        personId,
        municipalityCode: input.municipalityCode,
        kind: input.kind,
        occurredOn: input.occurredOn,
        source: 'manual',
        amountYen: input.amountYen ?? null,
        note: input.note ?? null,
        createdBy: ctx.actor.staffId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'engagement.create',
      entityType: 'engagement',
      entityId: row!.id,
      personId,
      municipalityCode: input.municipalityCode,
      details: { kind: input.kind, occurredOn: input.occurredOn },
    });
    return presentEngagement(row!);
  });
}

/**
 * A record that follows from a fact another module keeps (a check-in, a move), keyed by that fact
 * so it is recorded once however often the fact is replayed.
 */
export type SourcedEngagement = {
  personId: string;
  municipalityCode: string;
  kind: EngagementKind;
  occurredOn: string;
  source: string;
  sourceRef: string;
  externalKey: string;
  createdBy: string | null;
};

/**
 * Inserts sourced records in the caller's transaction, skipping any already recorded under the
 * same (person, external key) — the same rule the bulk import uses (engagement.bulk.ts).
 * Returns the ids of the records inserted now.
 */
export async function recordSourcedEngagements(tx: Tx, rows: SourcedEngagement[]): Promise<string[]> {
  if (!rows.length) return [];
  const inserted = await tx
    .insert(engagements)
    .values(rows)
    .onConflictDoNothing({ target: [engagements.personId, engagements.externalKey] })
    .returning({ id: engagements.id });
  return inserted.map((r) => r.id);
}

/** Current stage and dated history per municipality, derived from records and links (docs/stages.md). */
export async function personStages(db: Db, ctx: StaffContext, personId: string, asOf = todayInTokyo()) {
  await assertPersonInScope(db, ctx.actor, personId);
  const scope = scopedMunicipalities(ctx.actor);
  const [records, links] = await Promise.all([
    db
      .select({
        municipalityCode: engagements.municipalityCode,
        kind: engagements.kind,
        occurredOn: engagements.occurredOn,
      })
      .from(engagements)
      .where(and(eq(engagements.personId, personId), municipalityFilter(ctx)))
      .orderBy(asc(engagements.occurredOn)),
    db.select().from(personLinks).where(eq(personLinks.personId, personId)),
  ]);
  const visibleLinks = links
    .filter((l) => !scope || scope.includes(l.municipalityCode))
    .map((l) => ({ municipalityCode: l.municipalityCode, kind: l.kind as LinkKind, since: todayInTokyo(l.createdAt) }));
  return deriveStages(
    records.map((r) => ({ ...r, kind: r.kind as EngagementKind })),
    visibleLinks,
    asOf,
  );
}
