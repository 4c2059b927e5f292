/**
 * A data-subject access request answered by staff: everything held about one person, within the
 * reader's scope — the same sections as the supporter's own export. It spans the modules that
 * hold personal data, so it lives here in the registry, above them.
 */
import type { Db } from '../../platform/db/client.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { myConsultationData } from '../consultations/index.js';
import { myEventData } from '../events/index.js';
import { getPersonRecord, personHistory } from '../people/index.js';

/**
 * Everything held about one person, for a data-subject access request: the record, its history,
 * consultations, cases with their steps, referrals and event registrations — as the supporter's
 * own export has them, limited to what the reader's scope allows.
 */
export async function exportPerson(db: Db, ctx: StaffContext, id: string) {
  const person = await getPersonRecord(db, ctx, id);
  const history = await personHistory(db, ctx, id);
  const consulting = await myConsultationData(db, id, ctx.actor);
  const eventData = await myEventData(db, id, ctx.actor);
  await recordAudit(db, ctx, {
    action: 'person.export',
    entityType: 'person',
    entityId: id,
    personId: id,
    details: {
      format: 'json',
      consultations: consulting.consultations.length,
      cases: consulting.cases.length,
      referrals: consulting.referrals.length,
      eventRegistrations: eventData.eventRegistrations.length,
    },
  });
  return { exportedAt: new Date().toISOString(), person, history, ...consulting, ...eventData };
}
