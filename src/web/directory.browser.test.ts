import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { currentTotp } from '../auth/totp.ts';
import type { Principal } from '../auth/principal.ts';
import { loadConfig } from '../config.ts';
import { seedDemo } from '../demo.ts';
import { pocBody } from '../modules/directory/poc/poc.testing.ts';
import { nominatePoc } from '../modules/directory/poc/poc.service.ts';
import { startServer, type RunningServer } from '../server.ts';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, signInWithForm, watchedContext, type PageProblems } from '../testing/browser.ts';
import { eachEngine, type EngineContext } from '../testing/engines.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../testing/smtp.ts';
import { TEST_PASSWORD } from '../testing/users.ts';

// A point of contact's whole way into the directory, in Chromium against a real server that mails
// through real SMTP: France's admin nominates on the form, the invitation arrives, the POC enrols
// from the e-mailed link, Kenya's POC reads the contact, and the public sees only that France takes part.

const ADMIN_FRA = 'admin.fra@demo.cadre.example';
const ADMIN_KEN = 'admin.ken@demo.cadre.example';
const POC_KEN = 'poc.ken@demo.cadre.example';
const NOMINEE = { name: 'Claire Dubois', email: 'claire.dubois@cert.example.fr' };
const TEST_TIMEOUT = 30_000;

/** A server over the engine's database with the demo accounts but no directory entries, mailing to `smtp`. */
async function startMailingServer(ctx: EngineContext, smtp: SmtpSink): Promise<RunningServer> {
  const config = loadConfig(
    {},
    { dataDir: ctx.dataDir, databaseUrl: ctx.databaseUrl, port: 0, host: '127.0.0.1', secret: randomBytes(32), baseUrl: 'http://localhost', smtpUrl: smtp.url },
  );
  const server = await startServer(config, { worker: { pollMs: 50, backoff: { baseSeconds: 0, maxSeconds: 0 } } });
  await seedDemo(server.database);
  return server;
}

/** Kenya takes part: its admin nominates its (already enrolled) demo POC, so the entry is active at once. */
async function kenyaTakesPart(server: RunningServer): Promise<void> {
  const admin = await server.database.db.selectFrom('app_user').selectAll().where('email', '=', ADMIN_KEN).executeTakeFirstOrThrow();
  const actor: Principal = { userId: admin.id, email: admin.email, displayName: admin.display_name, role: admin.role, state: admin.state_iso3, organisation: null, via: 'session' };
  const { entry } = await nominatePoc(server.app.cadre, actor, 'KEN', pocBody({ emails: [POC_KEN], name: 'Wanjiru Kamau', timeZone: 'Africa/Nairobi', nominationRef: 'KE/NV/9' }));
  assert.equal(entry.status, 'active');
}

async function mailTo(smtp: SmtpSink, address: string, timeoutMs = 10_000): Promise<ReceivedMail> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; await new Promise((r) => setTimeout(r, 50))) {
    const [mail] = smtp.to(address);
    if (mail) return mail;
  }
  throw new Error(`no message to ${address} within ${timeoutMs} ms`);
}

function assertClean(problems: PageProblems): void {
  assert.deepEqual(problems.problems, [], 'no CSP violation, console error or uncaught exception');
}

if (!chromiumAvailable()) {
  if (process.env.CI === 'true') {
    test('the directory browser test needs Chromium under CI=true', () => assert.fail(`Chromium is required under CI=true but ${CHROMIUM_PATH} does not exist`));
  } else {
    test('the directory in Chromium', { skip: `no Chromium at ${CHROMIUM_PATH}` }, () => undefined);
  }
} else {
  eachEngine('the directory in Chromium', (ctx) => {
    // A nested block, so the server, browser and SMTP sink close before eachEngine drops the database.
    describe('server mailing through SMTP', () => {
      let smtp: SmtpSink;
      let server: RunningServer;
      let browser: Browser;

      before(async () => {
        smtp = await startSmtpSink();
        [server, browser] = await Promise.all([startMailingServer(ctx(), smtp), launchChromium()]);
        await kenyaTakesPart(server);
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
        await smtp?.close();
      });

      test('nominate on the form, enrol from the e-mailed link, read from another State; the public sees only participation', { timeout: TEST_TIMEOUT }, async () => {
        const base = server.url;
        const anonymous = await watchedContext(browser);
        const publicPage = await anonymous.newPage();
        const franceOnMap = () => publicPage.locator('.pm-map [data-iso3="FRA"]').first().getAttribute('data-participating');
        await publicPage.goto(`${base}/directory/participation`);
        assert.equal(await franceOnMap(), 'no', 'France takes no part before its nomination');

        // France's admin nominates through the form.
        const admin = await watchedContext(browser);
        const adminPage = await admin.newPage();
        await signInWithForm(adminPage, base, ADMIN_FRA);
        await adminPage.goto(`${base}/directory/nominate`);
        const form = adminPage.locator('form[action="/directory/entries"]');
        await form.locator('input[name="kind"][value="technical"]').check();
        await form.locator('input[name="rank"][value="primary"]').check();
        await form.locator('input[name="name"]').fill(NOMINEE.name);
        await form.locator('input[name="emails"]').fill(NOMINEE.email);
        await form.locator('input[name="phone_0"]').fill('+33 1 53 59 50 00');
        await form.locator('input[name="lang_fr"]').check();
        await form.locator('input[name="lang_en"]').check();
        await form.locator('select[name="timeZone"]').selectOption('Europe/Paris');
        await form.locator('input[name="availabilityMode"][value="always"]').check();
        await form.locator('input[name="nominationRef"]').fill('NV/2026/123');
        await form.locator('input[name="nominationDate"]').fill('2026-11-20');
        await Promise.all([adminPage.waitForURL((u) => u.pathname.startsWith('/directory/entries/')), form.locator('button[type="submit"]').click()]);
        const entryUrl = new URL(adminPage.url());
        assert.equal(entryUrl.searchParams.get('done'), 'nominated', 'mailed: the admin is sent to the entry, no link shown');
        const entryId = entryUrl.pathname.split('/')[3]!;
        assert.match((await adminPage.locator('main').textContent()) ?? '', new RegExp(NOMINEE.name));

        // The invitation goes out by SMTP; its link is the way in.
        const mail = await mailTo(smtp, NOMINEE.email);
        const path = /\/enrol\/[A-Za-z0-9_-]{43}/.exec(mail.parsed.text ?? '')?.[0];
        assert.ok(path, 'the e-mail carries an enrolment link');

        // The POC, in a browser of its own, enrols: password, and a TOTP code from the secret on the page.
        const nominee = await watchedContext(browser);
        const pocPage = await nominee.newPage();
        await pocPage.goto(`${base}${path}`);
        const secret = ((await pocPage.locator('[data-totp-secret]').textContent()) ?? '').trim();
        assert.match(secret, /^[A-Z2-7]+$/);
        await pocPage.fill('input[name="password"]', TEST_PASSWORD);
        await pocPage.fill('input[name="confirm"]', TEST_PASSWORD);
        await pocPage.fill('input[name="code"]', currentTotp(secret));
        const enrolled = pocPage.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
        await pocPage.click(`form[action="${path}"] button[type="submit"]`);
        assert.equal((await enrolled).status(), 200, 'enrolment succeeds');
        const entry = await server.database.db.selectFrom('poc').selectAll().where('id', '=', entryId).executeTakeFirstOrThrow();
        assert.equal(entry.status, 'active', 'enrolling proves the address: the entry is active');
        // What the form sent is what was stored.
        assert.deepEqual(
          { kind: entry.kind, rank: entry.rank, name: entry.name, phones: JSON.parse(entry.phones), languages: (JSON.parse(entry.languages) as string[]).sort(), timeZone: entry.time_zone, availability: JSON.parse(entry.availability), ref: entry.nomination_ref, date: entry.nomination_date },
          { kind: 'technical', rank: 'primary', name: NOMINEE.name, phones: [{ number: '+33153595000', label: 'office' }], languages: ['en', 'fr'], timeZone: 'Europe/Paris', availability: { always: true }, ref: 'NV/2026/123', date: '2026-11-20' },
        );
        assert.equal(smtp.to(NOMINEE.email).length, 1, 'one invitation, sent once');

        // Kenya takes part, so its POC reads France's new contact.
        const kenya = await watchedContext(browser);
        const kenyaPage = await kenya.newPage();
        await signInWithForm(kenyaPage, base, POC_KEN);
        await kenyaPage.goto(`${base}/directory/states/FRA`);
        const fraText = (await kenyaPage.locator('main').textContent()) ?? '';
        assert.match(fraText, new RegExp(NOMINEE.name));
        assert.equal(await kenyaPage.locator(`main a[href="mailto:${NOMINEE.email}"]`).count(), 1, 'the address is shown');

        // The public: France now takes part, and no name or address is shown; the directory asks to sign in.
        await publicPage.goto(`${base}/directory/participation`);
        assert.equal(await franceOnMap(), 'yes');
        const publicHtml = await publicPage.content();
        assert.ok(!publicHtml.includes(NOMINEE.name) && !publicHtml.includes(NOMINEE.email), 'no name or address in public');
        await publicPage.goto(`${base}/directory`);
        assert.equal(new URL(publicPage.url()).pathname, '/sign-in');

        for (const c of [anonymous, admin, nominee, kenya]) {
          assertClean(c.problems);
          await c.context.close();
        }
      });
    });
  });
}
