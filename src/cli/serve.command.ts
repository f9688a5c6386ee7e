import { parseArgs } from 'node:util';
import { demoAccountsText } from '../demo.ts';
import { startServer } from '../server.ts';
import { isHttpProcess, startHttpProcess, startServingProcesses } from '../serve-processes.ts';
import type { Command } from './main.ts';

export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--demo] [--port N]',
  summary: 'Run the web server (with --demo: demonstration accounts for France and Kenya)',
  async run({ args, config, io }) {
    const { values } = parseArgs({ args, options: { demo: { type: 'boolean' }, port: { type: 'string' } }, strict: true });
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.err('cadre serve: --port takes a number from 0 to 65535');
        return 2;
      }
      config.port = port;
      if (!process.env.BASE_URL) config.baseUrl = `http://localhost:${port}`;
    }
    config.demo = values.demo ?? false;
    const stopped = new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    if (isHttpProcess()) {
      // One of the HTTP processes of a `cadre serve` with WEB_PROCESSES > 1: it says nothing of its own.
      const server = await startHttpProcess(config);
      await stopped;
      await server.stop();
      // The channel to the primary would keep this process alive.
      process.disconnect?.();
      return 0;
    }
    const serving = config.webProcesses > 1 ? await startServingProcesses(config, io.out) : null;
    const server = serving?.background ?? (await startServer(config, { logger: true }));
    io.out(`Cadre is running on ${server.database.engine} (${server.database.location})${serving ? `, ${config.webProcesses} HTTP processes` : ''}`);
    if (config.demo) io.out(`\nDEMO MODE\n${demoAccountsText()}\n`);
    if (server.mailCatcher) io.out(`Mail: caught in Cadre, see ${serving?.url ?? config.baseUrl}/mail (demo)`);
    io.out(`Open ${serving?.url ?? config.baseUrl}`);
    await stopped;
    await (serving ?? server).stop();
    return 0;
  },
};
