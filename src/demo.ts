import { appendAuditEvent } from './audit/audit.repository.ts';
import { newId, nowIso } from './auth/crypto.ts';
import { hashPassword } from './auth/password.ts';
import { currentTotp, hashRecoveryCode } from './auth/totp.ts';
import type { Db } from './db/database.ts';
import type { Role } from './db/schema.ts';

/** Published demo credentials: for `--demo` only, listed in the README and printed at start. */
export const DEMO_PASSWORD = 'cadre-demo-password';
export const DEMO_RECOVERY_CODE = 'demo0-recov';

export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  state: string | null;
  totpSecret: string;
  /** Where the account reads its pages' dates. */
  timeZone: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'secretariat@demo.cadre.example', displayName: 'Secretariat (demo)', role: 'secretariat', state: null, totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA', timeZone: 'America/New_York' },
  { email: 'admin.fra@demo.cadre.example', displayName: 'Administrateur France (démo)', role: 'state-admin', state: 'FRA', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLB', timeZone: 'Europe/Paris' },
  { email: 'poc.fra@demo.cadre.example', displayName: 'Point de contact France (démo)', role: 'poc', state: 'FRA', totpSecret: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LC', timeZone: 'Europe/Paris' },
  { email: 'admin.ken@demo.cadre.example', displayName: 'Kenya administrator (demo)', role: 'state-admin', state: 'KEN', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJD', timeZone: 'Africa/Nairobi' },
  { email: 'poc.ken@demo.cadre.example', displayName: 'Kenya point of contact (demo)', role: 'poc', state: 'KEN', totpSecret: 'ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZE', timeZone: 'Africa/Nairobi' },
];

/** Creates the demo accounts that are missing; leaves existing ones untouched. Returns how many it made. */
export async function seedDemo(database: Db): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return database.db.transaction().execute(async (trx) => {
    let created = 0;
    for (const a of DEMO_ACCOUNTS) {
      if (await trx.selectFrom('app_user').select('id').where('email', '=', a.email).executeTakeFirst()) continue;
      const now = nowIso();
      const id = newId();
      await trx
        .insertInto('app_user')
        .values({
          id,
          email: a.email,
          display_name: a.displayName,
          role: a.role,
          state_iso3: a.state,
          status: 'active',
          password_hash: passwordHash,
          totp_secret: a.totpSecret,
          totp_enabled: 1,
          totp_last_step: 0,
          locale: null,
          time_zone: a.timeZone,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx.insertInto('recovery_code').values({ id: newId(), user_id: id, code_hash: hashRecoveryCode(DEMO_RECOVERY_CODE), used_at: null }).execute();
      await appendAuditEvent(trx, database.engine, {
        actor: { id: null, label: 'demo seed' },
        action: 'user.demo-created',
        targetType: 'user',
        targetId: id,
        state: a.state,
        details: { role: a.role, email: a.email },
      });
      created++;
    }
    return created;
  });
}

export function demoAccountsText(): string {
  const rows = DEMO_ACCOUNTS.map(
    (a) => `  ${a.email.padEnd(34)} ${a.role.padEnd(12)} ${(a.state ?? '-').padEnd(4)} TOTP secret ${a.totpSecret} (code now: ${currentTotp(a.totpSecret)})`,
  );
  return [`Demo accounts (password for all: ${DEMO_PASSWORD}; one recovery code each: ${DEMO_RECOVERY_CODE}):`, ...rows].join('\n');
}
