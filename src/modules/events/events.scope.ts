/** Which event registrations a staff member may see. */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { ownMunicipality, seesAllPeople } from '../../platform/scope.js';
import { personLinks } from '../people/index.js';
import { boothSlots, eventBooths, eventRegistrations, events } from './events.tables.js';

/**
 * SQL condition on `event_registrations`. Prefecture and center see every registration;
 * municipality staff one that concerns their municipality — the booked slot's booth is theirs
 * (they will meet the person there), the event is hosted by them, or the person is linked to them
 * (as in personScope); partners one that booked a booth of their organization. Merely naming a
 * municipality on the form does not show the registration to it: that is what the consent to share
 * with the chosen municipalities decides, and granting it links the person to them (interest).
 */
export function eventRegistrationScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const bookedBooth = (condition: SQL) =>
    sql`exists (select 1 from ${boothSlots} bs join ${eventBooths} bb on bb.id = bs.booth_id where bs.id = ${eventRegistrations.slotId} and ${condition})`;
  const code = ownMunicipality(actor);
  if (code) {
    return sql`(${bookedBooth(sql`bb.municipality_code = ${code}`)}
      or exists (select 1 from ${events} he where he.id = ${eventRegistrations.eventId} and he.host_municipality_code = ${code})
      or exists (select 1 from ${personLinks} rl where rl.person_id = ${eventRegistrations.personId} and rl.municipality_code = ${code}))`;
  }
  if (actor.role === 'partner' && actor.organizationId)
    return bookedBooth(sql`bb.organization_id = ${actor.organizationId}`);
  return sql`false`;
}
