import { parseArgs } from 'node:util';
import { demoAccountsText } from '../demo.ts';
import { startServer } from '../server.ts';
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
    const server = await startServer(config, { logger: true });
    io.out(`Cadre is running on ${server.database.engine} (${server.database.location})`);
    if (config.demo) io.out(`\nDEMO MODE\n${demoAccountsText()}\n`);
    if (server.mailCatcher) io.out(`Mail: caught in Cadre, see ${config.baseUrl}/mail (demo)`);
    io.out(`Open ${config.baseUrl}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.stop();
    return 0;
  },
};
