import type { Principal } from '../../../auth/principal.ts';
import type { Cadre } from '../../../web/types.ts';
import type { PocInput } from './poc.input.ts';
import { nominatePoc } from './poc.service.ts';

/** The demo's directory: the demo POC accounts of France and Kenya as active entries, made once. */
const DEMO_ENTRIES: { admin: string; state: string; input: PocInput }[] = [
  {
    admin: 'admin.fra@demo.cadre.example',
    state: 'FRA',
    input: {
      kind: 'technical',
      rank: 'primary',
      name: 'Point de contact France (démo)',
      title: 'Officier de permanence CERT (fictif)',
      organisation: 'CERT national (démo)',
      emails: ['poc.fra@demo.cadre.example'],
      phones: [{ number: '+33 1 00 00 00 00', label: 'hotline' }],
      languages: ['fr', 'en'],
      timeZone: 'Europe/Paris',
      availability: '24/7',
      notes: 'Données fictives de démonstration.',
      nominationRef: 'DEMO/NV/FRA/1',
      nominationDate: '2026-01-15',
    },
  },
  {
    admin: 'admin.ken@demo.cadre.example',
    state: 'KEN',
    input: {
      kind: 'diplomatic',
      rank: 'primary',
      name: 'Kenya point of contact (demo)',
      title: 'Cyber diplomacy desk (fictitious)',
      organisation: 'Ministry of Foreign Affairs (demo)',
      emails: ['poc.ken@demo.cadre.example'],
      phones: [{ number: '+254 20 000 0000', label: 'office' }],
      languages: ['en', 'sw'],
      timeZone: 'Africa/Nairobi',
      availability: 'mon-fri 08:00-17:00',
      notes: 'Fictitious demonstration data.',
      nominationRef: 'DEMO/NV/KEN/1',
      nominationDate: '2026-02-02',
    },
  },
];

export async function seedDemoDirectory(cadre: Cadre): Promise<number> {
  const db = cadre.database.db;
  let created = 0;
  for (const d of DEMO_ENTRIES) {
    if (await db.selectFrom('poc').select('id').where('state_iso3', '=', d.state).limit(1).executeTakeFirst()) continue;
    const admin = await db.selectFrom('app_user').selectAll().where('email', '=', d.admin).executeTakeFirst();
    if (!admin) continue;
    const actor: Principal = { userId: admin.id, email: admin.email, displayName: admin.display_name, role: admin.role, state: admin.state_iso3, organisation: null, via: 'session' };
    await nominatePoc(cadre, actor, d.state, d.input, { delivery: 'link' });
    created++;
  }
  return created;
}
