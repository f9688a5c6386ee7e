import type { LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../config.ts';
import { buildApp } from '../web/app.ts';
import type { App } from '../web/types.ts';
import type { EngineContext } from './engines.ts';

export function testConfig(ctx: EngineContext, overrides: Partial<Config> = {}): Config {
  return loadConfig({}, { dataDir: ctx.dataDir, databaseUrl: ctx.databaseUrl, secret: Buffer.alloc(32, 7), baseUrl: 'http://cadre.test', ...overrides });
}

export async function testApp(ctx: EngineContext, overrides: Partial<Config> = {}): Promise<App> {
  const app = await buildApp({ database: ctx.database, config: testConfig(ctx, overrides) });
  await app.ready();
  return app;
}

/**
 * A browser-like client over app.inject: keeps cookies, and fills the CSRF token from the last
 * page it fetched, as a browser submitting a form would.
 */
export class TestClient {
  cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly app: App, readonly ip = '127.0.0.1') {}

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** Submits a form the way a browser does, CSRF token included unless `csrf: false`. */
  async post(url: string, form: Record<string, string>, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrf }), ...form }).toString();
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        payload: body,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }

  async json(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({
        method,
        url,
        remoteAddress: this.ip,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
        headers: { cookie: this.cookieHeader(), accept: 'application/json', 'x-csrf-token': this.csrf, ...headers },
      }),
    );
  }
}
