import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CadreError } from '../errors.ts';
import { translator } from '../web/i18n.ts';
import { ingestDocument, ingestJson } from '../modules/library/ingest.service.ts';
import type { Command } from './main.ts';

export const ingestCommand: Command = {
  name: 'ingest',
  usage: 'ingest FILE... [--symbol S] [--json]',
  summary: 'Add UN texts (.txt or .pdf, any of the six languages) to the library; --json prints their structure',
  async run({ args, config, io, open }) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' }, symbol: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length === 0) {
      io.err('cadre ingest: name at least one file');
      return 2;
    }
    if (values.symbol && positionals.length > 1) {
      io.err('cadre ingest: --symbol applies to a single file');
      return 2;
    }
    const t = translator('en');
    const database = await open();
    const out: unknown[] = [];
    let failed = 0;
    try {
      for (const file of positionals) {
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (e) {
          io.err(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
          failed++;
          continue;
        }
        try {
          const r = await ingestDocument({ database, config }, { id: null, label: 'operator (cli)' }, { name: basename(file), bytes, symbol: values.symbol });
          if (values.json) out.push({ file, status: r.status, version: r.version, ...ingestJson(r.parsed) });
          else {
            const p = r.parsed;
            io.out(
              `${file}: ${r.symbol ?? '(no symbol)'} [${r.language}] ${r.status} (version ${r.version}): ${p.paragraphs.length} paragraphs, ` +
                `${p.footnotes.length} footnotes, ${p.paragraphs.reduce((n, x) => n + x.citations.length, 0)} citations, ${p.corrections.length} corrections` +
                (p.warnings.length ? `; warnings: ${p.warnings.join('; ')}` : ''),
            );
          }
        } catch (e) {
          if (!(e instanceof CadreError)) throw e;
          io.err(`${file}: ${t(e.messageKey, e.values)}`);
          failed++;
        }
      }
      if (values.json) io.out(JSON.stringify(out, null, 2));
      return failed ? 1 : 0;
    } finally {
      await database.close();
    }
  },
};
