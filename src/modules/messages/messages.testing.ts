import assert from 'node:assert/strict';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';

export type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

/**
 * The people of a messages test: the Secretariat and, per State, a point of contact whose
 * technical entry its State's admin nominated (active at once, the account being enrolled).
 */
export async function secretariatAndPocs<S extends string>(app: App, states: Record<S, string>): Promise<{ secretariat: Enrolled; pocs: Record<S, Enrolled> }> {
  const secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
  const pocs = {} as Record<S, Enrolled>;
  for (const [state, email] of Object.entries(states) as [S, string][]) {
    pocs[state] = await enrolledClient(app, email, 'poc', state);
    const admin = await enrolledClient(app, `admin.${email}`, 'state-admin', state);
    await admin.client.get('/directory');
    const res = await admin.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], kind: 'technical', name: email }));
    assert.equal(res.statusCode, 201, res.body);
  }
  return { secretariat, pocs };
}
