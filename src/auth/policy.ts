import type { Principal } from './principal.ts';

/**
 * A resource's policy: one function answers every question about the resource, whatever the path
 * (page, API, export, import). Called without a row it answers "may this principal do this at all"
 * (the route check); with a row, "on this one" (the service check). Deny by default: anything not
 * answered true is refused.
 */
export type PolicyFn<Action extends string, Row> = (principal: Principal | null, action: Action, row?: Row) => boolean;

export interface RoutePolicy {
  /** Shown in the route table and in refusal audit events, e.g. `user:list`. */
  name: string;
  /** True when a request may reach the handler. */
  allows(principal: Principal | null): boolean;
  /** When true, an anonymous request is sent to sign in instead of refused. */
  needsSignIn: boolean;
  /** API token scope required when the principal came in with a token. */
  scope?: string;
}

/** Bind a resource policy and action to a route. */
export function policy<Action extends string, Row>(
  resource: string,
  fn: PolicyFn<Action, Row>,
  action: Action,
  options: { scope?: string } = {},
): RoutePolicy {
  return {
    name: `${resource}:${action}`,
    allows: (p) => fn(p, action),
    needsSignIn: true,
    ...(options.scope ? { scope: options.scope } : {}),
  };
}

/** Open to everyone, signed in or not: the public parts (library, participating States, sign-in). */
export const PUBLIC: RoutePolicy = { name: 'public', allows: () => true, needsSignIn: false };

/** Any signed-in user acting on their own account. */
export const SIGNED_IN: RoutePolicy = { name: 'self', allows: (p) => p !== null && p.via === 'session', needsSignIn: true };

export class Forbidden extends Error {
  constructor(readonly policyName: string) {
    super(`refused by policy ${policyName}`);
  }
}

/** Row-level check inside a service: throws Forbidden unless the policy allows. */
export function authorize<Action extends string, Row>(
  resource: string,
  fn: PolicyFn<Action, Row>,
  principal: Principal | null,
  action: Action,
  row?: Row,
): void {
  if (!fn(principal, action, row)) throw new Forbidden(`${resource}:${action}`);
}
