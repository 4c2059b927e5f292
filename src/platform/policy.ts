/**
 * Policies: may this role do this kind of thing. Each module states its own in one file,
 * `<module>.policy.ts` (platform's admin routes in `auth/auth.policy.ts`, `audit/audit.policy.ts`,
 * …): named role lists that routes put in `config.roles` — checked by the auth hook before the
 * body is read — and named abilities that the module's services ask instead of testing roles
 * themselves. Which records a permitted role reaches is the scope's question (scope.ts and each
 * module's `*.scope.ts`), not the policy's. This file is all platform offers them.
 */
import type { StaffRole } from '../shared/domain.js';
import type { Actor } from './auth/actor.js';
import { AppError } from './errors.js';

/** The roles that may do one kind of thing: a route's `config.roles`, and what services check. */
export type RoleList = readonly StaffRole[];

/** An ability: whether the actor may act — on the resource, for abilities about one record. */
export type Policy<Resource = void> = (actor: Actor, resource: Resource) => boolean;

/** A policy's role list, frozen: a route or service can read it but never widen it. */
export const roleList = <const Roles extends readonly StaffRole[]>(...roles: Roles): Readonly<Roles> =>
  Object.freeze(roles);

/** Whether the actor has one of the roles. */
export const hasRole = (actor: Actor, roles: RoleList): boolean => roles.includes(actor.role);

/**
 * The answer to a caller a policy does not allow: FORBIDDEN, or NOT_FOUND where the request is
 * about a person, since "not allowed" would confirm that the person exists.
 */
export const refusal = (options: { personalData?: boolean } = {}): AppError =>
  new AppError(options.personalData ? 'NOT_FOUND' : 'FORBIDDEN');

/** Throws the refusal unless the policy allowed the actor. */
export function assertAllowed(allowed: boolean, options: { personalData?: boolean } = {}): asserts allowed {
  if (!allowed) throw refusal(options);
}
