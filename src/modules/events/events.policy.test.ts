import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor.js';
import type { StaffRole } from '../../shared/domain.js';
import { mayCancelRegistrations, mayManageEvent, mayManageEvents } from './events.policy.js';

const YAMAGATA = '062014';
const SAKATA = '062049';

const actor = (role: StaffRole, municipalityCode: string | null = null): Actor => ({
  staffId: '00000000-0000-4000-8000-000000000001',
  email: `${role}@test.kankei.example`,
  name: role,
  role,
  municipalityCode,
  organizationId: role === 'partner' ? '00000000-0000-4000-8000-000000000002' : null,
  via: 'session',
});

const admin = actor('prefecture_admin');
const center = actor('center_staff');
const yamagata = actor('municipality_staff', YAMAGATA);
const partner = actor('partner');

describe('events policy', () => {
  it('lets prefecture, center and municipality staff manage events, partners none', () => {
    expect([admin, center, yamagata, partner].map((a) => mayManageEvents(a))).toEqual([true, true, true, false]);
  });

  it('lets municipality staff manage only events their municipality hosts; prefecture and center any', () => {
    const hostedBy = (code: string | null) => ({ hostMunicipalityCode: code });
    expect(mayManageEvent(yamagata, hostedBy(YAMAGATA))).toBe(true);
    expect(mayManageEvent(yamagata, hostedBy(SAKATA))).toBe(false);
    expect(mayManageEvent(yamagata, hostedBy(null))).toBe(false);
    for (const central of [admin, center]) {
      expect(mayManageEvent(central, hostedBy(SAKATA))).toBe(true);
      expect(mayManageEvent(central, hostedBy(null))).toBe(true);
    }
    expect(mayManageEvent(partner, hostedBy(null))).toBe(false);
  });

  it('lets staff cancel registrations for their registrants; partners only check people in', () => {
    expect([admin, center, yamagata, partner].map((a) => mayCancelRegistrations(a))).toEqual([true, true, true, false]);
  });
});
