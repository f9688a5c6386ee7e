import type { Role } from '../db/schema.ts';
import { currentTotp } from '../auth/totp.ts';
import { inviteUser, OPERATOR } from '../modules/users/user.service.ts';
import type { App } from '../web/types.ts';
import { TestClient } from './app.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Invites and enrols a user through the real pages; returns a signed-in client and the TOTP secret.
 * `belongsTo` is the user's State (ISO3), or for a `regional-org` client its organisation (e.g. 'OSCE').
 */
export async function enrolledClient(app: App, email: string, role: Role, belongsTo: string | null = null, ip = '127.0.0.1') {
  const inv = await inviteUser(
    app.cadre,
    OPERATOR,
    role === 'regional-org' ? { email, role, organisation: belongsTo } : { email, role, state: belongsTo },
    { delivery: 'link' },
  );
  const client = new TestClient(app, ip);
  const path = new URL(inv.link).pathname;
  const page = await client.get(path);
  const secret = /data-totp-secret[^>]*>([A-Z2-7]+)</.exec(page.body)?.[1];
  if (!secret) throw new Error(`enrolment page showed no secret (status ${page.statusCode})`);
  const done = await client.post(path, { password: TEST_PASSWORD, confirm: TEST_PASSWORD, code: currentTotp(secret) });
  if (done.statusCode !== 200) throw new Error(`enrolment failed with ${done.statusCode}`);
  const codes = [...done.body.matchAll(/<li>([a-z0-9]{5}-[a-z0-9]{5})<\/li>/g)].map((m) => m[1]!);
  return { client, secret, user: inv.user, recoveryCodes: codes, enrolPath: path };
}
