import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { API_SCOPES, TOKEN_PREFIX } from '../../auth/api-tokens.ts';
import { newId, nowIso, randomToken, sha256Hex } from '../../auth/crypto.ts';
import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import { tokenPolicy } from './token.policy.ts';
import * as repo from './token.repository.ts';

export interface NewTokenInput {
  name: string;
  scopes: string[];
  expiresInDays: number | null;
}

/** Creates a token and returns it once; only its SHA-256 is kept. */
export async function createApiToken(cadre: Cadre, principal: Principal, input: NewTokenInput, ip: string): Promise<{ id: string; token: string }> {
  authorize('api-token', tokenPolicy, principal, 'create');
  const name = input.name.trim();
  if (!name) throw new CadreError(400, 'validation.required', {}, 'name');
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || scopes.some((s) => !(API_SCOPES as readonly string[]).includes(s))) throw new CadreError(400, 'tokens.scopesRequired', {}, 'scopes');
  if (input.expiresInDays !== null && !(input.expiresInDays >= 1 && input.expiresInDays <= 730)) throw new CadreError(400, 'validation.range', {}, 'expiresInDays');
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  const id = newId();
  await cadre.database.db.transaction().execute(async (trx) => {
    await repo.insertToken(trx, {
      id,
      user_id: principal.userId,
      name: name.slice(0, 100),
      token_hash: sha256Hex(token),
      scopes: scopes.join(' '),
      created_at: nowIso(),
      expires_at: input.expiresInDays ? nowIso(input.expiresInDays * 86400) : null,
      last_used_at: null,
      revoked_at: null,
    });
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: principal.userId, label: principal.email },
      action: 'api-token.created',
      targetType: 'api-token',
      targetId: id,
      state: principal.state,
      ip,
      details: { name, scopes },
    });
  });
  return { id, token };
}

export async function listApiTokens(cadre: Cadre, principal: Principal): Promise<repo.TokenRow[]> {
  authorize('api-token', tokenPolicy, principal, 'list');
  return repo.listTokens(cadre.database.db, principal.role === 'secretariat' ? null : principal.userId);
}

export async function revokeApiToken(cadre: Cadre, principal: Principal, id: string, ip: string): Promise<void> {
  await cadre.database.db.transaction().execute(async (trx) => {
    const row = await repo.findToken(trx, id);
    if (!row) throw new CadreError(404, 'tokens.notFound');
    authorize('api-token', tokenPolicy, principal, 'revoke', row);
    if (!(await repo.revokeToken(trx, id, nowIso()))) return;
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: principal.userId, label: principal.email },
      action: 'api-token.revoked',
      targetType: 'api-token',
      targetId: id,
      state: principal.state,
      ip,
    });
  });
}
