// A benchmark target, run as a child process of bench/http.ts so the load generator does not share
// its event loop:
//   node --import tsx bench/serve-target.ts cadre   Cadre with the demo accounts, request logger off
//   node --import tsx bench/serve-target.ts hello   a bare Fastify server answering {"hello":"world"}
// Cadre uses a temporary CADRE_DATA_DIR (removed at exit) and DATABASE_URL when set; with
// BENCH_INVITE_EMAIL it also invites that regional-org account and prints `INVITE <path>`. Both listen
// on 127.0.0.1 on a free port and print one line `READY <url>` on stdout; SIGTERM stops them.
// Commands on stdin, one a line, answered on stdout: `PROFILE_START` (answer `PROFILING`) starts the
// V8 CPU profiler; `PROFILE_STOP <file>` writes the profile since then to <file> (answer `PROFILED`).
// The bench profiles only the measured runs that way, never startup or warm-up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { inviteUser, OPERATOR } from '../src/modules/users/user.service.ts';
import { startServer } from '../src/server.ts';

const HOST = '127.0.0.1';

async function main(kind: string | undefined): Promise<void> {
  let stop: () => Promise<void>;
  let port: number;
  if (kind === 'hello') {
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    await app.listen({ port: 0, host: HOST });
    port = portOf(app.server.address());
    stop = () => app.close();
  } else if (kind === 'cadre') {
    const dataDir = mkdtempSync(join(tmpdir(), 'cadre-bench-'));
    const config = loadConfig(process.env, { dataDir, port: 0, host: HOST, demo: true, baseUrl: `http://${HOST}` });
    // No request logger: `cadre serve` logs every request through pino, which would be measured too.
    const server = await startServer(config, { logger: false });
    port = portOf(server.app.server.address());
    // An API client to enrol over HTTP, as `cadre user add` would create it: API tokens belong to
    // regional-org accounts, and the demo has none.
    const inviteEmail = process.env.BENCH_INVITE_EMAIL;
    if (inviteEmail) {
      const invitation = await inviteUser(server.app.cadre, OPERATOR, { email: inviteEmail, role: 'regional-org', organisation: 'OSCE', displayName: 'Bench API client' }, { delivery: 'link' });
      process.stdout.write(`INVITE ${new URL(invitation.link).pathname}\n`);
    }
    stop = async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  } else {
    throw new Error(`usage: serve-target.ts cadre|hello (got ${kind ?? 'nothing'})`);
  }
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`serve-target: stop failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // The parent going away (crash, Ctrl-C) closes our stdin: stop too, never linger.
  const commands = createInterface({ input: process.stdin });
  commands.on('close', shutdown);
  let profiler: Session | undefined;
  commands.on('line', (line) => {
    const [command, arg] = line.split(' ', 2);
    const run = async () => {
      if (command === 'PROFILE_START' && !profiler) {
        profiler = new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
        await profiler.post('Profiler.start');
        process.stdout.write('PROFILING\n');
      } else if (command === 'PROFILE_STOP' && profiler && arg) {
        const { profile } = await profiler.post('Profiler.stop');
        profiler.disconnect();
        profiler = undefined;
        writeFileSync(arg, JSON.stringify(profile));
        process.stdout.write('PROFILED\n');
      } else {
        throw new Error(`unexpected command: ${line}`);
      }
    };
    run().catch((e: unknown) => {
      process.stderr.write(`serve-target: ${String(e)}\n`);
      process.exit(1);
    });
  });
  process.stdout.write(`READY http://${HOST}:${port}\n`);
}

function portOf(address: ReturnType<import('node:net').Server['address']>): number {
  if (address && typeof address === 'object') return address.port;
  throw new Error('server has no TCP address');
}

main(process.argv[2]).catch((e: unknown) => {
  process.stderr.write(`serve-target: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
