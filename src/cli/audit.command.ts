import { verifyAuditChain } from '../audit/audit.repository.ts';
import type { Command } from './main.ts';

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  usage: 'audit verify',
  summary: 'Check the audit log hash chain; exits 1 naming the first broken event',
  async run({ open, io }) {
    const database = await open();
    try {
      const { events, fault } = await verifyAuditChain(database.db);
      if (!fault) {
        io.out(`audit chain intact: ${events} events`);
        return 0;
      }
      const what = {
        'hash-mismatch': 'its content does not match its hash (edited)',
        'broken-link': 'it does not point to the hash of the event before it (an event before it was changed or removed)',
        gap: fault.kind === 'gap' ? `sequence jumps from ${fault.expected - 1} to ${fault.seq} (events deleted)` : '',
        'head-mismatch': 'the chain ends before the recorded head (events deleted at the end) or the head was changed',
      }[fault.kind];
      io.err(`audit chain BROKEN at event ${fault.seq}: ${what}`);
      return 1;
    } finally {
      await database.close();
    }
  },
};
