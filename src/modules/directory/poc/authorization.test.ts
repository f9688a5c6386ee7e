import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp, TestClient } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody, pocForm } from './poc.testing.ts';

/**
 * The directory's authorization matrix: every page and API route, every kind of principal, and for
 * the routes about one entry or one State, two targets: France, which takes part (its active entry
 * `:id`, its State page), and Brazil, which does not (its only entry `:pending` was nominated but its
 * POC never enrolled). Read down a column: France's admin and POC are the own State of the first
 * target, Kenya's another participating State, Brazil's the own State of the second target and a
 * non-participating State for the first. For imports, the target is an OSCE file the Secretariat
 * uploaded; for chasing, Brazil. The expectations are written out by hand from poc.policy.ts and the
 * rules of poc.read.ts (404 where the entry's existence is confidential to the reader, 403 where the
 * route is refused by role or the entry is visible but not the reader's to change). A test checks
 * that the matrix has a row for every directory route the app registers, on both targets.
 */

const S = 'sign-in'; // 303 to /sign-in (anonymous page request)
const D = 'done'; // 303 to the page a form write that succeeded leads to (see DONE)
type Outcome = 200 | 201 | 401 | 403 | 404 | 409 | 410 | typeof S | typeof D;

const PRINCIPALS = ['secretariat', 'adminFRA', 'pocFRA', 'adminKEN', 'pocKEN', 'adminBRA', 'pocBRA', 'stakeholder', 'osce', 'osceConsent', 'anonymous'] as const;
type Who = (typeof PRINCIPALS)[number];

/** Readers the policy lets see the FRA entry's contact details (own State, participating other State, Secretariat, consented organisation). */
const SEES_ENTRY: ReadonlySet<Who> = new Set(['secretariat', 'adminFRA', 'pocFRA', 'adminKEN', 'pocKEN', 'osceConsent']);
/** Readers the policy lets see the BRA pending entry: its own State and the Secretariat (pending: no other State, no organisation, consent or not). */
const SEES_PENDING: ReadonlySet<Who> = new Set(['secretariat', 'adminBRA', 'pocBRA']);

type Row = [route: string, ...cells: Outcome[]];

// prettier-ignore
const MATRIX: Row[] = [
  // route                                           sec   aFRA  pFRA  aKEN  pKEN  aBRA  pBRA  stake osce  osce+ anon
  ['GET /directory',                                 200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/states/FRA',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/entries/:id',                     200,  200,  200,  200,  200,  404,  404,  403,  404,  200,  S],
  ['GET /directory/entries/:id/edit',                403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['GET /directory/nominate',                        403,  200,  403,  200,  403,  200,  403,  403,  403,  403,  S],
  ['POST /directory/entries',                        403,  201,  403,  201,  403,  201,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id',                    403,  D,    403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id/withdraw',           403,  D,    403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id/confirm',            403,  D,    D,    403,  403,  404,  404,  403,  403,  403,  S],
  ['GET /directory/overview',                        200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['GET /directory/export.csv',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/export.json',                     200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/export.vcf',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/print',                           200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/entries/:id/vcard',               200,  200,  200,  200,  200,  404,  404,  403,  404,  200,  S],
  ['GET /directory/participation',                   200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  ['GET /api/v1/directory/entries',                  200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['POST /api/v1/directory/entries',                 403,  201,  403,  201,  403,  201,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/entries/:id',              200,  200,  200,  200,  200,  404,  404,  403,  404,  200,  401],
  ['PUT /api/v1/directory/entries/:id',              403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/entries/:id/withdraw',    403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/entries/:id/confirm',     403,  200,  200,  403,  403,  404,  404,  403,  403,  403,  401],
  ['GET /api/v1/directory/entries/:id/history',      200,  200,  200,  403,  403,  404,  404,  403,  404,  403,  401],
  ['GET /api/v1/directory/states/FRA',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/states/FRA/history',       200,  200,  200,  403,  403,  403,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/overview',                 200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/export.csv',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/export.json',              200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/export.vcf',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/participation',            200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  // Consent: the entry's own State admin chooses; another participating State sees the entry but may not choose.
  ['GET /directory/entries/:id/consent',             403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id/consent',            403,  D,    403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['PUT /api/v1/directory/entries/:id/consent',      403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  401],
  // A non-participating State: Brazil's page says it takes no part; its pending entry exists only for Brazil and the
  // Secretariat (404 for everyone else, even an organisation it consented to); Brazil's admin may still change or
  // withdraw it, but nobody may confirm an entry that is not active.
  ['GET /directory/states/BRA',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/entries/:pending',                200,  404,  404,  404,  404,  200,  200,  403,  404,  404,  S],
  ['GET /directory/entries/:pending/edit',           403,  404,  403,  404,  403,  200,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:pending',               403,  404,  403,  404,  403,  D,    403,  403,  403,  403,  S],
  ['POST /directory/entries/:pending/withdraw',      403,  404,  403,  404,  403,  D,    403,  403,  403,  403,  S],
  ['POST /directory/entries/:pending/confirm',       403,  404,  404,  404,  404,  403,  403,  403,  403,  403,  S],
  ['GET /directory/entries/:pending/vcard',          200,  404,  404,  404,  404,  200,  200,  403,  404,  404,  S],
  ['GET /directory/entries/:pending/consent',        403,  404,  403,  404,  403,  200,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:pending/consent',       403,  404,  403,  404,  403,  D,    403,  403,  403,  403,  S],
  ['GET /api/v1/directory/states/BRA',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/states/BRA/history',       200,  403,  403,  403,  403,  200,  200,  403,  403,  403,  401],
  ['GET /api/v1/directory/entries/:pending',         200,  404,  404,  404,  404,  200,  200,  403,  404,  404,  401],
  ['PUT /api/v1/directory/entries/:pending',         403,  404,  403,  404,  403,  200,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/entries/:pending/withdraw', 403, 404, 403,  404,  403,  200,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/entries/:pending/confirm', 403,  404,  404,  404,  404,  403,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/entries/:pending/history', 200,  404,  404,  404,  404,  200,  200,  403,  404,  404,  401],
  ['PUT /api/v1/directory/entries/:pending/consent', 403,  404,  403,  404,  403,  200,  403,  403,  403,  403,  401],
  // Imports: the Secretariat only.
  ['GET /directory/imports',                         200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /directory/imports',                        D,    403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['GET /directory/imports/:id',                     200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /directory/imports/:id/apply',              200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /api/v1/directory/imports',                 201,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  // An organisation reads the uploads of its own directory (its file's problems only); its tokens here only read.
  ['GET /api/v1/directory/imports',                  200,  403,  403,  403,  403,  403,  403,  403,  200,  200,  401],
  ['GET /api/v1/directory/imports/:id',              200,  403,  403,  403,  403,  403,  403,  403,  200,  200,  401],
  ['POST /api/v1/directory/imports/:id/apply',       200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  // Oversight: the Secretariat only; the test app has no SMTP, so a chase it may make answers 409 (directory.chase.noMail).
  ['POST /directory/overview/chase/BRA',             409,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /api/v1/directory/states/BRA/chase',        409,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['GET /directory/settings',                        200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /directory/settings',                       D,    403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['GET /api/v1/directory/settings',                 200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['PUT /api/v1/directory/settings',                 200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  // Address verification: public, the link is the credential; a token nobody was given is gone for everyone.
  ['GET /directory/verify/:unknown',                 410,  410,  410,  410,  410,  410,  410,  410,  410,  410,  410],
  ['POST /directory/verify/:unknown',                410,  410,  410,  410,  410,  410,  410,  410,  410,  410,  410],
  ['GET /directory/verify/:live',                    200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  ['POST /directory/verify/:live',                   200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  // Public reference data (Member States, regional organisations): for everyone, no contact details. An API token
  // reads it only with the states:read scope (the OSCE's token has directory:read only).
  ['GET /states',                                    200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  ['GET /regional-organisations',                    200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  ['GET /api/v1/states',                             200,  200,  200,  200,  200,  200,  200,  200,  403,  403,  200],
  ['GET /api/v1/states/BRA',                         200,  200,  200,  200,  200,  200,  200,  200,  403,  403,  200],
  ['GET /api/v1/regional-organisations',             200,  200,  200,  200,  200,  200,  200,  200,  403,  403,  200],
  ['GET /api/v1/regional-organisations/:org',        200,  200,  200,  200,  200,  200,  200,  200,  403,  403,  200],
];

/** The directory's routes as the app registers them: its pages and API, and the reference data it keeps. */
const DIRECTORY_ROUTE = /^\/(api\/v1\/)?(directory|states|regional-organisations)/;

/** The registered route a row exercises: its targets and placeholders as the route declares them. */
const registeredAs = (route: string) =>
  route.replace(/\/(FRA|BRA)(?=\/|$)/, '/:iso3').replace(/:pending|:org/, ':id').replace(/:unknown|:live/, ':token');

/** A row's route with the BRA pending entry written as the route's `:id` (the same request, another target). */
const asEntryRoute = (route: string) => route.replace(':pending', ':id');

/** Where a form write that succeeded leads (by default the entry with a notice). */
const DONE: Record<string, (id: string) => RegExp> = {
  'POST /directory/entries/:id/consent': (id) => new RegExp(`^/directory/entries/${id}#consent$`),
  'POST /directory/imports': () => /^\/directory\/imports\/[0-9a-f-]{36}$/,
  'POST /directory/settings': () => /^\/directory\/settings\?saved=1$/,
};
const doneAt = (route: string, id: string) => (DONE[asEntryRoute(route)] ?? ((i: string) => new RegExp(`^/directory/entries/${i}\\?done=`)))(id);

/** A verification token nobody was given (the route's pattern, so the handler is reached). */
const UNKNOWN_TOKEN = 'NoSuchVerificationToken_0123456789';

/** The file of every import: the CSV export's columns, one valid French row (a fresh person per upload). */
const IMPORT_HEADER = 'state,kind,rank,name,title,organisation,emails,phones,languages,time_zone,availability,notes';
const importFile = (k: number) => [IMPORT_HEADER, `FRA,technical,alternate,Imported Person ${k},,CERT-FR,imported${k}@cert.example.fr,,fr,Europe/Paris,24/7,`].join('\r\n');


type Target = 'FRA' | 'BRA';
const BOTH: readonly Target[] = ['FRA', 'BRA'];

/**
 * Routes whose successful answer carries contact details (audited when read by another State), and
 * which targets' details it carries when the reader may see them: the FRA active entry, the BRA
 * pending one, or both (lists and exports).
 */
const DETAILS: Record<string, readonly Target[]> = {
  'GET /directory/states/FRA': ['FRA'],
  'GET /directory/states/BRA': ['BRA'],
  'GET /directory/entries/:id': ['FRA'],
  'GET /directory/entries/:pending': ['BRA'],
  'GET /directory/export.csv': BOTH,
  'GET /directory/export.json': BOTH,
  'GET /directory/export.vcf': BOTH,
  'GET /directory/print': BOTH,
  'GET /directory/entries/:id/vcard': ['FRA'],
  'GET /directory/entries/:pending/vcard': ['BRA'],
  'GET /api/v1/directory/entries': BOTH,
  'GET /api/v1/directory/entries/:id': ['FRA'],
  'GET /api/v1/directory/entries/:pending': ['BRA'],
  'GET /api/v1/directory/states/FRA': ['FRA'],
  'GET /api/v1/directory/states/BRA': ['BRA'],
  'GET /api/v1/directory/export.csv': BOTH,
  'GET /api/v1/directory/export.json': BOTH,
  'GET /api/v1/directory/export.vcf': BOTH,
};

const EMAIL: Record<Exclude<Who, 'anonymous' | 'osceConsent'>, string> = {
  secretariat: 'sec@un.example',
  adminFRA: 'admin@fr.example',
  pocFRA: 'claire.dubois@cert.example.fr',
  adminKEN: 'admin@ke.example',
  pocKEN: 'poc@ke.example',
  adminBRA: 'admin@br.example',
  pocBRA: 'poc@br.example',
  stakeholder: 'ngo@example.org',
  osce: 'sync@osce.example',
};
const emailOf = (who: Who) => (who === 'osceConsent' ? EMAIL.osce : who === 'anonymous' ? null : EMAIL[who]);

const FRA_ADDRESS = 'claire.dubois@cert.example.fr';
const KEN_NAME = 'Wanjiru Kamau';
/** The BRA pending entry: its address is not verified (nobody enrolled), so its phone is the contact detail to look for. */
const BRA_ADDRESS = 'never@br.example';
const BRA_NAME = 'João Silva';
const BRA_PHONE = '+556134110000'; // as stored (E.164)

/** Who sees each target, who belongs to its State (their reads are not audited), and what marks its details in an answer. */
const TARGETS: Record<Target, { sees: ReadonlySet<Who>; own: readonly Who[]; marker: string }> = {
  FRA: { sees: SEES_ENTRY, own: ['adminFRA', 'pocFRA'], marker: FRA_ADDRESS },
  BRA: { sees: SEES_PENDING, own: ['adminBRA', 'pocBRA'], marker: BRA_PHONE },
};

/** Anything of any entry: what a refusal, the participation list and the reference data must never show. */
const ANY_CONTACT = /claire\.dubois@|Claire Dubois|Cheffe du CERT|Wanjiru|poc@ke\.example|João Silva|never@br\.example|\+556134110000|Coordenador/;

eachEngine('points of contact: authorization matrix', (ctx) => {
  let app: App;
  const clients = new Map<Who, TestClient>();
  let token = '';
  let fraEntry = '';
  let kenEntry = '';
  let braEntry = '';
  let fixtureImport = '';
  let anonymous: TestClient;
  let spares = 0;
  let imports = 0;

  const db = () => app.cadre.database.db;
  const version = async (id: string) => (await db().selectFrom('poc').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  const views = async (who: Who, entry: string) => {
    const rows = await db().selectFrom('audit_event').select(['actor_label', 'details']).where('action', '=', 'poc.viewed').execute();
    return rows.filter((r) => r.actor_label === emailOf(who) && r.details.includes(entry)).length;
  };
  const entryOf = (target: Target) => (target === 'FRA' ? fraEntry : braEntry);

  /** An active FRA entry of its own (a fresh enrolled POC account), for a write the matrix allows. */
  async function throwawayEntry(): Promise<{ id: string; address: string }> {
    const email = `spare${++spares}@cert.example.fr`;
    await enrolledClient(app, email, 'poc', 'FRA');
    const res = await clients.get('adminFRA')!.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], name: `Spare ${spares}`, nominationRef: `NV/SPARE/${spares}` }));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().entry.status, 'active');
    return { id: res.json().entry.id as string, address: email };
  }

  /** A pending BRA entry of its own (a nominee who never enrols), for a write the matrix allows on the pending target. */
  async function throwawayPending(): Promise<{ id: string; address: string }> {
    const email = `later${++spares}@br.example`;
    const res = await clients.get('adminBRA')!.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], name: `Later ${spares}`, timeZone: 'America/Sao_Paulo', nominationRef: `BR/LATER/${spares}` }));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().entry.status, 'pending');
    return { id: res.json().entry.id as string, address: email };
  }

  /** An OSCE import of its own, previewed by the Secretariat and not applied, for a cell the matrix allows. */
  async function throwawayImport(): Promise<string> {
    const res = await clients.get('secretariat')!.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format: 'csv', content: importFile(++imports), fileName: `osce-${imports}.csv` });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().counts, { new: 1, unchanged: 0, conflict: 0, possible: 0, error: 0 });
    return res.json().id as string;
  }

  /** A live verification link (no SMTP: the admin is shown it) for a new address on an entry of its own. */
  async function liveToken(): Promise<{ token: string; address: string }> {
    const entry = await throwawayEntry();
    const address = `extra${spares}@cert.example.fr`;
    const admin = clients.get('adminFRA')!;
    const res = await admin.post(`/directory/entries/${entry.id}`, pocForm({ emails: entry.address, otherEmails: address, nominationRef: `NV/EXTRA/${spares}` }));
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    const token = /\/directory\/verify\/([A-Za-z0-9_-]{20,100})/.exec(res.body)?.[1];
    assert.ok(token, 'the page shows the link to deliver');
    return { token, address };
  }

  /** What a refused or failed write must leave as it was. */
  async function fixture() {
    const fra = await db().selectFrom('poc').select(['version', 'status']).where('id', '=', fraEntry).executeTakeFirstOrThrow();
    const bra = await db().selectFrom('poc').select(['version', 'status']).where('id', '=', braEntry).executeTakeFirstOrThrow();
    const consents = await db().selectFrom('poc_consent').select(['poc_id', 'organisation_id']).where('poc_id', 'in', [fraEntry, braEntry]).orderBy('poc_id').orderBy('organisation_id').execute();
    const imported = await db().selectFrom('directory_import').select(['id', 'applied_at']).orderBy('id').execute();
    const settings = await db().selectFrom('setting').select(['key', 'value']).where('key', 'like', 'directory.%').orderBy('key').execute();
    const chased = await db().selectFrom('audit_event').select('seq').where('action', '=', 'directory.chased').execute();
    return { fra, bra, consents: consents.map((c) => `${c.poc_id === fraEntry ? 'FRA' : 'BRA'}:${c.organisation_id}`), imported, settings, chased: chased.length };
  }

  /** The request body of a write: a fresh nominee, or the target's own data with one change. */
  function bodyFor(row: string, n: number, targetAddress: string, allowed: boolean): Record<string, unknown> | undefined {
    const route = asEntryRoute(row);
    // A BRA entry keeps a name of its own (pocForm's and pocBody's are the FRA entry's).
    const name = row.includes(':pending') ? `Later ${n}` : 'Claire Dubois';
    const fresh = `nominee${n}@example.net`;
    const api = route.includes('/api/');
    // Consent goes to an organisation the State belongs to other than the OSCE (the OSCE client's view of the directory stays as the fixture made it).
    const org = consentTo(row);
    if (route.endsWith('/consent')) return api ? { organisations: [org] } : { [`org_${org}`]: 'on' };
    if (route === 'POST /api/v1/directory/imports') return { organisation: 'OSCE', format: 'csv', content: importFile(++imports), fileName: `osce-${imports}.csv` };
    if (route.endsWith('/imports/:id/apply')) return {};
    if (route.endsWith('/chase')) return api ? undefined : {};
    if (route.includes('/chase/') || route.includes('/verify/')) return {};
    // The Secretariat saves the settings as they are; a refused save would turn reciprocity off and change both periods.
    if (route === 'POST /directory/settings') return allowed ? { reciprocity: 'on', confirmMonths: '6', reminderDays: '30' } : { confirmMonths: '12', reminderDays: '10' };
    if (route === 'PUT /api/v1/directory/settings') return allowed ? { reciprocity: true, confirmMonths: 6, reminderDays: 30 } : { reciprocity: false, confirmMonths: 12, reminderDays: 10 };
    if (route.endsWith('/withdraw')) return { nominationRef: 'NV/2026/999', nominationDate: '2026-11-24' };
    if (route.endsWith('/confirm')) return api ? undefined : {};
    if (route === 'POST /directory/entries') return pocForm({ emails: fresh, name: `Nominee ${n}` });
    if (route === 'POST /api/v1/directory/entries') return { ...pocBody({ emails: [fresh], name: `Nominee ${n}` }) };
    if (route === 'POST /directory/entries/:id') return pocForm({ emails: targetAddress, name, title: 'Changed', nominationRef: 'NV/2026/500' });
    if (route === 'PUT /api/v1/directory/entries/:id') return { ...pocBody({ emails: [targetAddress], name, title: 'Changed', nominationRef: 'NV/2026/500' }) };
    return undefined;
  }

  /** The organisation a consent cell chooses: the EU for France, the OAS for Brazil. */
  const consentTo = (row: string) => (row.includes(':pending') ? 'OAS' : 'EU');

  async function send(who: Who, method: string, url: string, body: Record<string, unknown> | undefined): Promise<LightMyRequestResponse> {
    const api = url.startsWith('/api/');
    // The regional organisation's client calls the API with its token; its people use the pages in a session.
    if (api && (who === 'osce' || who === 'osceConsent')) {
      return app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, ...(body ? { payload: body as Record<string, string> } : {}) });
    }
    const client = who === 'anonymous' ? anonymous : who === 'osceConsent' ? clients.get('osce')! : clients.get(who)!;
    if (api) return client.json(method as 'GET', url, body);
    if (method === 'POST' && url === '/directory/imports') return uploadPage(client, imports + 1);
    if (method === 'GET') return client.get(url);
    return client.post(url, (body ?? {}) as Record<string, string>);
  }

  /** The upload page's form: multipart, the way a browser sends it (CSRF token, organisation, file). */
  async function uploadPage(client: TestClient, k: number): Promise<LightMyRequestResponse> {
    imports = k;
    const boundary = '----cadre-matrix-boundary';
    const part = (headers: string, body: string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
    const payload = Buffer.concat([
      part('Content-Disposition: form-data; name="_csrf"', client.csrf),
      part('Content-Disposition: form-data; name="organisation"', 'OSCE'),
      part('Content-Disposition: form-data; name="file"; filename="osce.csv"\r\nContent-Type: text/csv', importFile(k)),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return app.inject({ method: 'POST', url: '/directory/imports', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie } });
  }

  test('setup: FRA and KEN take part, BRA has only a pending entry, OSCE has a read token', async () => {
    app = await testApp(ctx());
    anonymous = new TestClient(app);
    await anonymous.get('/sign-in'); // a visitor's CSRF token, for the public forms
    assert.ok(anonymous.csrf, 'the sign-in page carries a CSRF token');
    for (const who of PRINCIPALS) {
      if (who === 'anonymous' || who === 'osceConsent') continue;
      const role = who === 'secretariat' ? 'secretariat' : who === 'stakeholder' ? 'stakeholder' : who === 'osce' ? 'regional-org' : who.startsWith('admin') ? 'state-admin' : 'poc';
      const belongsTo = who === 'osce' ? 'OSCE' : /(FRA|KEN|BRA)$/.exec(who)?.[1] ?? null;
      const { client } = await enrolledClient(app, EMAIL[who], role, belongsTo);
      await client.get('/account'); // a page with the CSRF token for later writes
      clients.set(who, client);
    }
    const fra = await clients.get('adminFRA')!.json('POST', '/api/v1/directory/entries', pocBody());
    assert.equal(fra.statusCode, 201, fra.body);
    assert.equal(fra.json().entry.status, 'active', 'the POC of France was already enrolled');
    fraEntry = fra.json().entry.id;
    const ken = await clients.get('adminKEN')!.json('POST', '/api/v1/directory/entries', pocBody({ emails: [EMAIL.pocKEN], name: KEN_NAME, timeZone: 'Africa/Nairobi', nominationRef: 'KE/NV/9' }));
    assert.equal(ken.json().entry.status, 'active');
    kenEntry = ken.json().entry.id;
    const bra = await clients.get('adminBRA')!.json(
      'POST',
      '/api/v1/directory/entries',
      pocBody({ emails: [BRA_ADDRESS], name: BRA_NAME, title: 'Coordenador do CTIR', organisation: 'GSI', phones: [{ number: BRA_PHONE, label: 'office' }], timeZone: 'America/Sao_Paulo', nominationRef: 'BR/NV/1' }),
    );
    assert.equal(bra.json().entry.status, 'pending', 'its POC never enrols');
    braEntry = bra.json().entry.id;
    assert.deepEqual(bra.json().entry.phones, [{ number: BRA_PHONE, label: 'office' }], 'the marker is the phone as stored');

    const osce = clients.get('osce')!;
    await osce.get('/tokens');
    const created = await osce.post('/tokens', { name: 'OSCE directory sync', scopes: 'directory:read', expiresInDays: '30' });
    assert.equal(created.statusCode, 201);
    token = /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)/.exec(created.body)![1]!;

    const participation = (await new TestClient(app).get('/api/v1/directory/participation')).json();
    const takesPart = (iso3: string) => participation.states.find((s: { iso3: string }) => s.iso3 === iso3).participating;
    assert.deepEqual([takesPart('FRA'), takesPart('KEN'), takesPart('BRA')], [true, true, false]);

    fixtureImport = await throwawayImport();
  });

  test('the matrix has a row for every directory route the app registers, and tries each entry and State route on both targets', () => {
    const registered = app.routeTable.filter((r) => DIRECTORY_ROUTE.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.ok(registered.length > 50, 'the directory has its routes');
    const rows = MATRIX.map(([route]) => route);
    const covered = new Set(rows.map(registeredAs));
    // Fastify answers a HEAD with its GET's route (exposeHeadRoutes): the GET's row covers it.
    const missing = registered.filter((r) => !covered.has(r.replace(/^HEAD /, 'GET ')));
    assert.deepEqual(missing, [], 'directory routes with no row in the matrix');
    assert.deepEqual([...covered].filter((r) => !registered.includes(r)), [], 'rows of the matrix no route answers');
    // One entry: France's active entry and Brazil's pending one. One State's entries: France's and Brazil's.
    const untried = registered.flatMap((r) => {
      if (r.startsWith('HEAD ')) return [];
      if (r.includes('/directory/entries/:id')) return [r, r.replace(':id', ':pending')].filter((t) => !rows.includes(t));
      if (r.startsWith('GET ') && r.includes('/directory/states/:iso3')) return [r.replace(':iso3', 'FRA'), r.replace(':iso3', 'BRA')].filter((t) => !rows.includes(t));
      return [];
    });
    assert.deepEqual(untried, [], 'entry and State routes not tried on both targets');
  });

  let n = 0;
  for (const [column, who] of PRINCIPALS.entries()) {
    test(`as ${who}`, async (t) => {
      if (who === 'osceConsent') {
        // The FRA entry consents to be shared with the OSCE: from here on its client may read it. So does the BRA
        // pending entry (written straight in: Brazil is no member), which must stay hidden all the same while pending.
        for (const poc_id of [fraEntry, braEntry]) {
          await db().insertInto('poc_consent').values({ poc_id, organisation_id: 'OSCE', granted_at: new Date().toISOString(), granted_by: null }).execute();
        }
      }
      for (const [route, ...cells] of MATRIX) {
        const expected = cells[column]!;
        await t.test(`${route} → ${expected}`, async () => {
          const [method, pattern] = route.split(' ') as [string, string];
          // Succeeded: the request did what it asked (a 409 or 410 is a refusal like any other here).
          const allowed = expected === 200 || expected === 201 || expected === D;
          const isImport = pattern.includes('/imports/:id');
          const pending = pattern.includes(':pending');
          // Allowed updates, withdrawals, consents and the admin's confirmation go to an entry of their own (active
          // for France, pending for Brazil); the POC's own confirmation goes to its entry (it only moves "confirmed until" on).
          const ownTarget = allowed && method !== 'GET' && /:id|:pending/.test(pattern) && !isImport && !(who === 'pocFRA' && pattern.endsWith('/confirm'));
          const target = ownTarget ? await (pending ? throwawayPending() : throwawayEntry()) : pending ? { id: braEntry, address: BRA_ADDRESS } : { id: fraEntry, address: FRA_ADDRESS };
          // An import the cell may read or apply is its own; a refused cell aims at the fixture's.
          const id = isImport ? (allowed ? await throwawayImport() : fixtureImport) : target.id;
          const live = pattern.endsWith(':live') ? await liveToken() : null;
          const url = pattern.replace(/:id|:pending/, id).replace(':org', 'OSCE').replace(':unknown', UNKNOWN_TOKEN).replace(':live', live?.token ?? '');
          const shown = DETAILS[route] ?? [];
          const viewsOf = async () => Promise.all(shown.map((t) => views(who, entryOf(t))));
          const before = { version: await version(fraEntry), views: await viewsOf(), fixture: await fixture() };

          const res = await send(who, method, url, bodyFor(route, ++n, target.address, allowed));

          if (expected === S) {
            assert.equal(res.statusCode, 303);
            assert.match(String(res.headers.location), /^\/sign-in\?next=/);
          } else if (expected === D) {
            assert.equal(res.statusCode, 303, res.body.slice(0, 500));
            assert.match(String(res.headers.location), doneAt(route, id));
          } else {
            assert.equal(res.statusCode, expected, res.body.slice(0, 500));
          }
          if (!allowed) {
            assert.doesNotMatch(res.body, ANY_CONTACT, 'a refusal shows nothing of any entry');
            assert.equal(await version(fraEntry), before.version, 'a refused write changes nothing');
            assert.deepEqual(await fixture(), before.fixture, 'a refused write changes nothing: entry, consents, imports, settings, chases');
          }
          if (allowed && route.endsWith('/consent') && method !== 'GET') {
            const rows = await db().selectFrom('poc_consent').select('organisation_id').where('poc_id', '=', id).execute();
            assert.deepEqual(rows.map((r) => r.organisation_id), [consentTo(route)], 'the choice was saved');
          }
          if (live) {
            const row = await db().selectFrom('poc_email').select('verified_at').where('address', '=', live.address).executeTakeFirstOrThrow();
            assert.equal(row.verified_at !== null, method === 'POST', method === 'POST' ? 'pressing the button verifies the address' : 'opening the link verifies nothing');
          }
          if (allowed && route.endsWith('/imports/:id/apply')) {
            const applied = await db().selectFrom('directory_import').select('applied_at').where('id', '=', id).executeTakeFirstOrThrow();
            assert.ok(applied.applied_at, 'the import was applied');
          }
          if (route.endsWith('/chase') || route.includes('/chase/')) {
            if (expected === 409) assert.match(res.body, /sends no e-mail \(SMTP_URL is not set\)/, 'refused for want of SMTP');
          }
          if (allowed && method === 'GET' && shown.length > 0) {
            const after = await viewsOf();
            for (const [i, t] of shown.entries()) {
              const { sees, own, marker } = TARGETS[t];
              const s = sees.has(who);
              assert.equal(res.body.includes(marker), s, `the ${t} entry’s contact details are ${s ? '' : 'not '}shown`);
              if (!s) assert.ok(!res.body.includes(t === 'FRA' ? 'Claire Dubois' : BRA_NAME), `nothing of the ${t} entry is shown`);
              const audited = after[i]! - before.views[i]!;
              if (s && !own.includes(who)) assert.ok(audited >= 1, `a view of the ${t} entry by another State is audited as poc.viewed`);
              else assert.equal(audited, 0, 'no view to record');
            }
          }
          if (route === 'GET /directory' && allowed) {
            assert.equal(res.body.includes('Claire Dubois'), SEES_ENTRY.has(who));
            assert.equal(res.body.includes(BRA_NAME), SEES_PENDING.has(who), 'the pending entry is listed for its State and the Secretariat only');
          }
          if (allowed && route.endsWith('/directory/states/BRA')) {
            // Brazil takes no part, whoever asks; whether its pending entry exists is for Brazil and the Secretariat.
            if (route.includes('/api/')) {
              assert.equal(res.json().participates, false);
              assert.equal((res.json().entries as { id: string }[]).some((e) => e.id === braEntry), SEES_PENDING.has(who));
            } else assert.match(res.body, /This State has no active point of contact in the directory\./);
          }
          if (route.endsWith('/participation') || /^GET \/(api\/v1\/)?(states|regional-organisations)/.test(route)) {
            assert.doesNotMatch(res.body, ANY_CONTACT, 'public data shows nothing of any entry');
          }
          if (allowed && route === 'PUT /api/v1/directory/settings') assert.deepEqual(res.json(), { reciprocity: true, confirmMonths: 6, reminderDays: 30 });
          if (allowed && route === 'GET /api/v1/states/BRA') assert.equal(res.json().iso3, 'BRA');
          if (allowed && route === 'GET /api/v1/regional-organisations/:org') assert.ok((res.json().members as { iso3: string }[]).some((m) => m.iso3 === 'FRA'));
          if (route.endsWith('/export.json') && (who === 'osce' || who === 'osceConsent')) {
            const ids = (JSON.parse(res.body).entries as { id: string }[]).map((e) => e.id);
            assert.deepEqual(ids, who === 'osceConsent' ? [fraEntry] : [], 'a regional organisation gets only the entries that consented');
          }
          if (route.endsWith('/export.csv') && who === 'osceConsent') assert.ok(!res.body.includes(KEN_NAME) && res.body.includes('Claire Dubois'));
        });
      }
    });
  }

  test('the fixture survived: the FRA and KEN entries are still active, the BRA entry pending, and Brazil still takes no part', async () => {
    const status = async (id: string) => (await db().selectFrom('poc').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
    assert.deepEqual([await status(fraEntry), await status(kenEntry), await status(braEntry)], ['active', 'active', 'pending']);
    const active = await db().selectFrom('poc').select('id').where('state_iso3', '=', 'BRA').where('status', '=', 'active').execute();
    assert.deepEqual(active, [], 'no cell made Brazil take part');
    await app.close();
  });
});
