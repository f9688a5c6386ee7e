import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Principal } from '../auth/principal.ts';
import type { RoutePolicy } from '../auth/policy.ts';
import type { Language, Translate } from './i18n.ts';

/** What every service is handed: the database and the configuration. */
export interface Cadre {
  database: Db;
  config: Config;
  /** The time as the directory's dates see it (confirmation, lapse, reminders); tests set it. */
  clock?: () => Date;
}

export function cadreNow(cadre: Cadre): Date {
  return cadre.clock ? cadre.clock() : new Date();
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route names its policy; a route without one is refused (and the route-table test fails). */
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    principal: Principal | null;
    lang: Language;
    t: Translate;
    /** The CSRF token for forms rendered in this response (computed on first use). */
    csrf: () => string;
    /** A session cookie was presented but had expired. */
    sessionExpired: boolean;
  }
  interface FastifyInstance {
    cadre: Cadre;
    routeTable: { method: string; url: string; policy: string | undefined }[];
  }
}

export type App = FastifyInstance;
export type Req = FastifyRequest;
export type Reply = FastifyReply;
