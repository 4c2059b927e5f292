import type { StaffRole } from '../../shared/domain.js';

/** Who is making a request, resolved from a session cookie or a bearer token. */
export type Actor = {
  staffId: string;
  email: string;
  name: string;
  role: StaffRole;
  municipalityCode: string | null;
  organizationId: string | null;
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
};
