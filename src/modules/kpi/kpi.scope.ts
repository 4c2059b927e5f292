/**
 * Which municipality's figures and counted records a reader gets (platform/scope.ts): prefecture
 * and center any municipality or the whole prefecture; municipality staff always their own — asking
 * for another answers NOT_FOUND, so the parameter narrows but never widens; partners NOT_FOUND.
 */
import type { Actor } from '../../platform/auth/actor.js';
import { aggregateMunicipality } from '../../platform/scope.js';

/** The municipality the figures and drill-downs are computed for; null = the whole prefecture. */
export function kpiMunicipality(actor: Actor, requested: string | undefined): string | null {
  return aggregateMunicipality(actor, requested);
}
