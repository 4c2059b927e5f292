/**
 * Shapes of the Kankei JSON API, derived from the server's own Zod response schemas so the UI
 * cannot drift from what the API sends (type-only imports: nothing of the server is bundled).
 */
import type { z } from 'zod';
import type { User, ApiToken as ApiTokenSchema } from '../../src/platform/auth/auth.routes';
import type { AuditEvent } from '../../src/platform/audit/audit.routes';
import type { Municipality as MunicipalitySchema, Organization as OrganizationSchema } from '../../src/modules/places/places.routes';
import type { Staff as StaffSchema } from '../../src/modules/staff/staff.routes';
import type { HistoryItem as HistoryItemSchema, Person as PersonSchema } from '../../src/modules/people/people.schemas';

export type SessionUser = z.infer<typeof User>;
export type SessionResponse = { user: SessionUser; csrfToken: string };

export type Municipality = z.infer<typeof MunicipalitySchema>;

/** A prefecture's sub-areas (総合支庁: 村山, 最上, 置賜, 庄内); municipalities name theirs by `name`. */
export type Region = { code: string; prefectureCode: string; name: string; nameEn: string };

export type MunicipalityCount = { municipalityCode: string; count: number };

export type Person = z.infer<typeof PersonSchema>;
export type PersonLink = Person['links'][number];

/** What the form sends on create and edit (PATCH accepts any subset; the form sends all). */
export type PersonInput = Omit<Person, 'id' | 'createdAt' | 'updatedAt' | 'isDemo' | 'prefecture'> & { prefecture: string | null };

export type Page<T> = { items: T[]; total: number };
export type ItemList<T> = { items: T[] };

export type HistoryItem = z.infer<typeof HistoryItemSchema>;
export type Staff = z.infer<typeof StaffSchema>;
export type Organization = z.infer<typeof OrganizationSchema>;
export type AuditEntry = z.infer<typeof AuditEvent>;
export type ApiToken = z.infer<typeof ApiTokenSchema>;
export type CreatedToken = { id: string; token: string; name: string; staffId: string; expiresAt: string | null };
