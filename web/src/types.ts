/** Shapes of the Kankei JSON API as the UI uses them. */
import type { LinkKind, OrganizationKind, StaffRole } from '../../src/shared/domain';

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  municipalityCode: string | null;
  organizationId: string | null;
};

export type SessionResponse = { user: SessionUser; csrfToken: string };

export type Municipality = {
  code: string;
  name: string;
  kana: string;
  romaji: string;
  type: string;
  region: string;
  lat: number;
  lon: number;
};

export type MunicipalityCount = { municipalityCode: string; count: number };

export type PersonLink = { municipalityCode: string; kind: LinkKind };

export type Person = {
  id: string;
  name: string;
  kana: string | null;
  email: string | null;
  phone: string | null;
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
  birthYear: number | null;
  notes: string | null;
  links: PersonLink[];
  createdAt: string;
  updatedAt: string;
};

/** What the form sends on create and edit (PATCH accepts any subset; the form sends all). */
export type PersonInput = Omit<Person, 'id' | 'createdAt' | 'updatedAt'>;

export type Page<T> = { items: T[]; total: number };
export type ItemList<T> = { items: T[] };

export type HistoryItem = {
  at: string;
  action: string;
  actor: { id: string; name: string } | null;
  details: Record<string, unknown> | null;
};

export type Staff = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  municipalityCode: string | null;
  organizationId: string | null;
  disabled: boolean;
  /** Set while the account is locked after repeated failed logins. */
  lockedUntil?: string | null;
  createdAt?: string;
};

export type Organization = { id: string; name: string; kind: OrganizationKind };

export type AuditEntry = {
  id: string;
  at: string;
  actor: { id: string; email: string; name: string } | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  personId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
};

export type ApiToken = {
  id: string;
  name: string;
  staffId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
};

export type CreatedToken = { id: string; token: string; name: string };
