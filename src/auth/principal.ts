import type { Role } from '../db/schema.ts';

/** Who is acting on a request: a signed-in user or an API token's owner. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  /** ISO3 of the user's State; null for secretariat and stakeholders. */
  state: string | null;
  /** The regional organisation of a `regional-org` client; null for every other role. */
  organisation: string | null;
  /** The user's own time zone (IANA), in which pages show instants; null shows UTC. */
  timeZone?: string | null;
  /** The user's preferred language (one of the six), used when the request names none. */
  locale?: string | null;
  via: 'session' | 'token';
  sessionId?: string;
  /** Scopes of the API token; undefined for sessions (a session holds every scope of its role). */
  scopes?: string[];
}

/** Rank for "a lower role never acts on a higher one". Roles outside the State hierarchy rank lowest. */
export const ROLE_RANK: Record<Role, number> = {
  secretariat: 3,
  'state-admin': 2,
  poc: 1,
  'regional-org': 0,
  stakeholder: 0,
};

/** Roles that belong to exactly one State (DESIGN.md, roles). */
export function roleHasState(role: Role): boolean {
  return role === 'state-admin' || role === 'poc';
}

/** The role that belongs to exactly one regional organisation. */
export function roleHasOrganisation(role: Role): boolean {
  return role === 'regional-org';
}
