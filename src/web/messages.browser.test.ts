import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { inviteUser, OPERATOR } from '../modules/users/user.service.ts';
import type { RunningServer } from '../server.ts';
import { currentTotp } from '../auth/totp.ts';
import { CHROMIUM_PATH, chromiumAvailable, demoAccount, launchChromium, screenshot, signInWithForm, startDemoServer, watchedContext, type PageProblems } from '../testing/browser.ts';
import { eachEngine } from '../testing/engines.ts';
import { TEST_PASSWORD } from '../testing/users.ts';
import { formatInstant } from './format.ts';
import { translator } from './i18n.ts';

// A request for assistance from France to Kenya, in Chromium against the demo server (France's
// technical POC and Kenya's POC take part in the demo directory): France fills the template's form
// and sends; Kenya finds it new in its inbox, acknowledges with its own reference and answers;
// France reads the three messages and when Kenya acknowledged. A Brazilian POC is told the thread
// does not exist; the Secretariat sees that it exists and between whom, never what it says.

const POC_FRA = 'poc.fra@demo.cadre.example';
const POC_KEN = 'poc.ken@demo.cadre.example';
const SECRETARIAT = 'secretariat@demo.cadre.example';
const TEST_TIMEOUT = 60_000;
const en = translator('en');

const REQUEST = {
  summary: 'Ransomware at the national grid operator',
  whatHappened: 'Historian servers of the transmission operator were encrypted. Substations run on manual control.',
  request: 'Please take down the command server hosted in your territory and share its logs.',
};
const KENYA_REFERENCE = 'KE-NCERT/2026/0042';
const FILE_LINE = '2026-11-24T09:31:02Z deny tcp 192.0.2.1:4444 -> 10.0.0.5:502\n';
const ANSWER = 'The command server was taken offline and its disk imaged; logs follow by courier.';
/** Every piece of content: none may reach a reader who sees metadata only. */
const CONTENT = [...Object.values(REQUEST), KENYA_REFERENCE, ANSWER, 'firewall.log'];

function assertClean(problems: PageProblems): void {
  assert.deepEqual(problems.problems, [], 'no CSP violation, console error or uncaught exception');
}

/** Submits with the keyboard, as someone without a mouse would: focus the form's button, press Enter. */
async function submitWithKeyboard(page: Page, form: string, path: (u: URL) => boolean): Promise<void> {
  await page.locator(`${form} button[type="submit"]`).focus();
  await Promise.all([page.waitForURL(path), page.keyboard.press('Enter')]);
}

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

if (!chromiumAvailable()) {
  if (process.env.CI === 'true') {
    test('the messages browser test needs Chromium under CI=true', () => assert.fail(`Chromium is required under CI=true but ${CHROMIUM_PATH} does not exist`));
  } else {
    test('POC-to-POC messages in Chromium', { skip: `no Chromium at ${CHROMIUM_PATH}` }, () => undefined);
  }
} else {
  eachEngine('POC-to-POC messages in Chromium', (ctx) => {
    // A nested block, so the server and browser close before eachEngine drops the database.
    describe('demo server', () => {
      let server: RunningServer;
      let browser: Browser;
      // France and the Secretariat stay signed in for the exercise: a TOTP code is accepted once, and the next one is up to 30 s away.
      let france: Awaited<ReturnType<typeof watchedContext>>;
      let fra: Page;
      let secretariat: Awaited<ReturnType<typeof watchedContext>>;
      let sec: Page;

      before(async () => {
        [server, browser] = await Promise.all([startDemoServer(ctx()), launchChromium()]);
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
      });

      test('France asks Kenya for assistance; Kenya acknowledges and answers; Brazil and the Secretariat do not read it', { timeout: TEST_TIMEOUT }, async () => {
        const base = server.url;

        // France's technical POC fills the request-assistance form and sends it to Kenya.
        france = await watchedContext(browser);
        fra = await france.newPage();
        await signInWithForm(fra, base, POC_FRA);
        await fra.goto(`${base}/messages/new?template=request-assistance`);
        const form = fra.locator('form[action="/messages"]');
        await form.locator('select[name="to"]').selectOption('KEN');
        await form.locator('input[name="summary"]').fill(REQUEST.summary);
        await form.locator('textarea[name="whatHappened"]').fill(REQUEST.whatHappened);
        // Six hours ago, Paris time: in the past whatever the zone of the machine.
        const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(Date.now() - 6 * 3_600_000));
        await form.locator('input[name="occurredAt"]').fill(paris.replace(' ', 'T'));
        await form.locator('select[name="occurredAt.timeZone"]').selectOption('Europe/Paris');
        await form.locator('input[name="sectors"][value="energy"]').check();
        await form.locator('input[name="sectors"][value="health"]').check();
        await form.locator('textarea[name="request"]').fill(REQUEST.request);
        await form.locator('select[name="urgency"]').selectOption('critical');
        await form.locator('select[name="tlp"]').selectOption('AMBER');
        // A firewall log goes with the request, chosen in the form's file field.
        await form.locator('input[name="attachments"]').setInputFiles({ name: 'firewall.log', mimeType: 'text/plain', buffer: Buffer.from(FILE_LINE) });
        await submitWithKeyboard(fra, 'form[action="/messages"]', (u) => /^\/messages\/[0-9a-f-]{36}$/.test(u.pathname));
        const threadPath = new URL(fra.url()).pathname;
        const threadId = threadPath.split('/')[2]!;
        assert.match(await mainText(fra), new RegExp(REQUEST.summary));
        const stored = await server.database.db.selectFrom('message_thread').selectAll().where('id', '=', threadId).executeTakeFirstOrThrow();
        assert.deepEqual({ from: stored.from_state, urgency: stored.urgency, tlp: stored.tlp, status: stored.status }, { from: 'FRA', urgency: 'critical', tlp: 'AMBER', status: 'sent' });
        const content = await server.database.db.selectFrom('message').select('content').where('thread_id', '=', threadId).executeTakeFirstOrThrow();
        assert.ok(!content.content.includes('Ransomware'), 'stored encrypted');

        // Kenya's POC finds it new in its inbox, opens it, acknowledges with its own reference, answers.
        const kenya = await watchedContext(browser);
        const ken = await kenya.newPage();
        await signInWithForm(ken, base, POC_KEN);
        await ken.goto(`${base}/messages`);
        const row = ken.locator(`tr[data-thread="${threadId}"]`);
        assert.equal((await row.locator('.badge-warn').textContent())?.trim(), en('messages.inbox.new'), 'marked new');
        assert.match((await row.textContent()) ?? '', new RegExp(en('messages.urgency.critical')));
        await Promise.all([ken.waitForURL((u) => u.pathname === threadPath), row.locator(`a[href="${threadPath}"]`).click()]);
        const kenText = await mainText(ken);
        for (const text of Object.values(REQUEST)) assert.ok(kenText.includes(text), `Kenya reads: ${text}`);
        assert.match(kenText, /Europe\/Paris/, 'the time of the incident with its zone');
        const fileLink = ken.locator('li[data-seq="1"] .attachments a');
        assert.equal((await fileLink.textContent())?.trim(), 'firewall.log');
        const download = await ken.request.get(`${base}${await fileLink.getAttribute('href')}`);
        assert.equal(download.status(), 200);
        assert.equal(await download.text(), FILE_LINE, 'the file as France sent it');

        await Promise.all([ken.waitForURL((u) => u.pathname === `${threadPath}/reply`), ken.click(`a[href="${threadPath}/reply?template=acknowledgement"]`)]);
        const ackForm = `form[action="${threadPath}/reply"]`;
        assert.equal(await ken.locator(`${ackForm} select[name="tlp"]`).inputValue(), 'AMBER', 'the reply starts at the thread’s label');
        // The reference field, then Enter: the form submits from the keyboard.
        await ken.locator(`${ackForm} input[name="reference"]`).fill(KENYA_REFERENCE);
        await Promise.all([ken.waitForURL((u) => u.pathname === threadPath), ken.locator(`${ackForm} input[name="reference"]`).press('Enter')]);
        assert.equal(new URL(ken.url()).hash, '#m2');

        await Promise.all([ken.waitForURL((u) => u.pathname === `${threadPath}/reply`), ken.click(`a[href="${threadPath}/reply?template=response"]`)]);
        await ken.locator(`${ackForm} textarea[name="answer"]`).fill(ANSWER);
        await submitWithKeyboard(ken, ackForm, (u) => u.pathname === threadPath);
        assert.equal(new URL(ken.url()).hash, '#m3');
        await ken.goto(`${base}/messages`);
        assert.equal(await ken.locator(`tr[data-thread="${threadId}"] .badge-warn`).count(), 0, 'read: no longer new');

        // France sees the timeline: three messages, and when Kenya acknowledged.
        await fra.goto(`${base}${threadPath}`);
        assert.equal(await fra.locator('li[data-seq]').count(), 3);
        assert.deepEqual(await fra.locator('li[data-seq]').evaluateAll((items) => items.map((li) => li.getAttribute('data-seq'))), ['1', '2', '3']);
        const fraText = await mainText(fra);
        assert.ok(fraText.includes(KENYA_REFERENCE), 'Kenya’s own reference');
        assert.ok(fraText.includes(ANSWER), 'Kenya’s answer');
        const party = await server.database.db.selectFrom('thread_party').selectAll().where('thread_id', '=', threadId).where('state_iso3', '=', 'KEN').executeTakeFirstOrThrow();
        assert.ok(party.acknowledged_at);
        assert.equal(party.own_reference, KENYA_REFERENCE);
        assert.equal((await fra.locator('tr[data-party="KEN"] td').nth(1).textContent())?.trim(), formatInstant(party.acknowledged_at, 'en', demoAccount(POC_FRA).timeZone), 'in France’s own time zone');
        assert.equal(await fra.locator('li[data-seq] .badge-warn').count(), 2, 'the two replies are new to France');

        // A Brazilian POC: no such thread.
        const invited = await inviteUser(server.app.cadre, OPERATOR, { email: 'cert@br.example', role: 'poc', state: 'BRA' }, { delivery: 'link' });
        const brazil = await watchedContext(browser);
        brazil.problems.allow(/status of 404/);
        const bra = await brazil.newPage();
        const enrol = new URL(invited.link).pathname;
        await bra.goto(`${base}${enrol}`);
        const secret = ((await bra.locator('[data-totp-secret]').textContent()) ?? '').trim();
        await bra.fill('input[name="password"]', TEST_PASSWORD);
        await bra.fill('input[name="confirm"]', TEST_PASSWORD);
        await bra.fill('input[name="code"]', currentTotp(secret));
        const enrolled = bra.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === enrol);
        await bra.click(`form[action="${enrol}"] button[type="submit"]`);
        assert.equal((await enrolled).status(), 200);
        const refused = await bra.goto(`${base}${threadPath}`);
        assert.equal(refused?.status(), 404);
        const braHtml = await bra.content();
        for (const text of CONTENT) assert.ok(!braHtml.includes(text), `Brazil does not see: ${text}`);
        await bra.goto(`${base}/messages`);
        assert.equal(await bra.locator(`tr[data-thread="${threadId}"]`).count(), 0, 'not in Brazil’s inbox');

        // The Secretariat: the thread's metadata and the notice, none of its text.
        secretariat = await watchedContext(browser);
        sec = await secretariat.newPage();
        await signInWithForm(sec, base, SECRETARIAT);
        const seen = await sec.goto(`${base}${threadPath}`);
        assert.equal(seen?.status(), 200);
        assert.equal((await sec.locator('main .notice[role="note"]').textContent())?.trim(), en('messages.metadataOnly'));
        assert.equal(await sec.locator('tr[data-party="KEN"]').count(), 1, 'between whom');
        assert.equal(await sec.locator('li[data-seq]').count(), 3, 'how many messages and when');
        const secHtml = await sec.content();
        for (const text of CONTENT) assert.ok(!secHtml.includes(text), `the Secretariat does not see: ${text}`);
        assert.equal(await sec.locator(`a[href^="${threadPath}/reply"]`).count(), 0, 'nothing to reply with');

        assertClean(france.problems);
        assertClean(secretariat.problems);
        for (const c of [kenya, brazil]) {
          assertClean(c.problems);
          await c.context.close();
        }
      });

      test('the Secretariat runs an exercise; France’s notification is marked EXERCISE; the report and statistics keep it apart', { timeout: TEST_TIMEOUT }, async () => {
        const base = server.url;
        // The form reads times in the Secretariat's own time zone (New York in the demo).
        const local = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: demoAccount(SECRETARIAT).timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms)).replace(' ', 'T');
        await sec.goto(`${base}/exercises/new`);
        await sec.fill('input[name="title"]', 'Grid storm 2026');
        await sec.fill('textarea[name="scenario"]', 'A ransomware attack on a power grid spreads across borders.');
        await sec.fill('input[name="startsAt"]', local(Date.now() - 3_600_000));
        await sec.fill('input[name="endsAt"]', local(Date.now() + 86_400_000));
        await sec.locator('select[name="states"]').selectOption(['FRA', 'KEN']);
        await submitWithKeyboard(sec, 'form[action="/exercises"]', (u) => /^\/exercises\/[0-9a-f-]{36}$/.test(u.pathname));
        const exercisePath = new URL(sec.url()).pathname;
        const window = await server.database.db.selectFrom('exercise').select('starts_at').where('id', '=', exercisePath.split('/')[2]!).executeTakeFirstOrThrow();
        assert.ok(Math.abs(Date.parse(window.starts_at) - (Date.now() - 3_600_000)) < 120_000, 'read in New York time');
        await Promise.all([sec.waitForURL((u) => u.pathname === exercisePath), sec.click(`form[action="${exercisePath}/start"] button[type="submit"]`)]);
        await screenshot(sec, 'exercise-secretariat');

        // France opens a notification inside the exercise: the thread page says EXERCISE.
        await fra.goto(`${base}${exercisePath}`);
        assert.match(await mainText(fra), /Grid storm 2026/);
        await fra.goto(`${base}/messages/new?template=incident-notification&exercise=${exercisePath.split('/')[2]}`);
        const form = fra.locator('form[action="/messages"]');
        await form.locator('select[name="to"]').selectOption('KEN');
        await form.locator('input[name="summary"]').fill('Exercise: scanning of substations');
        await form.locator('textarea[name="whatHappened"]').fill('Scanning from a foreign range against substation gateways.');
        const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(new Date(Date.now() - 3_600_000));
        await form.locator('input[name="occurredAt"]').fill(paris.replace(' ', 'T'));
        await form.locator('select[name="occurredAt.timeZone"]').selectOption('Europe/Paris');
        await form.locator('select[name="urgency"]').selectOption('routine');
        await form.locator('select[name="tlp"]').selectOption('GREEN');
        await submitWithKeyboard(fra, 'form[action="/messages"]', (u) => /^\/messages\/[0-9a-f-]{36}$/.test(u.pathname));
        assert.match((await fra.locator('h1').textContent()) ?? '', /^EXERCISE — /);
        await screenshot(fra, 'exercise-thread');

        // The after-action report lists the exercise thread; the real statistics do not count it.
        await sec.goto(`${base}${exercisePath}/report`);
        assert.equal(await sec.locator('svg.chart, table').first().count(), 1);
        await screenshot(sec, 'exercise-report');
        await sec.goto(`${base}/messages/statistics`);
        const threads = Number(await sec.locator('dl.facts dd[data-threads]').getAttribute('data-threads'));
        const real = await server.database.db.selectFrom('message_thread').select((eb) => eb.fn.countAll<number>().as('n')).where('exercise_id', 'is', null).executeTakeFirstOrThrow();
        assert.equal(threads, Number(real.n), 'exercise threads left out');
        await screenshot(sec, 'message-statistics');
        await fra.goto(`${base}/messages/statistics?lang=ar`);
        assert.equal(await fra.locator('html').getAttribute('dir'), 'rtl');
        assert.equal(await fra.locator('[data-timings="sent"]').count(), 1, 'France sees how others answered it');
        await screenshot(fra, 'message-statistics-ar');

        for (const c of [secretariat, france]) {
          assertClean(c.problems);
          await c.context.close();
        }
      });
    });
  });
}
