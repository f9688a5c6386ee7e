import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../config.ts';
import { startServer, type RunningServer } from '../../server.ts';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, screenshot, watchedContext, type PageProblems } from '../../testing/browser.ts';
import { seedActivePocs, type SeededPoc } from '../../testing/checks.ts';
import { eachEngine } from '../../testing/engines.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import { translator } from '../../web/i18n.ts';

// Acknowledgement by link in a real browser (Debian's Chromium through playwright-core), against a
// real server whose worker sends the check over real SMTP: the POC opens the link read from the
// e-mail it received, sees a button, and only pressing it (with the keyboard alone) acknowledges;
// opening the link again shows the "already acknowledged" page. In English and in French.

const en = translator('en');
const fr = translator('fr');
const TEST_TIMEOUT = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function assertClean(problems: PageProblems): void {
  assert.deepEqual(problems.problems, [], 'no CSP violation, console error or uncaught exception');
}

/** Tabs from the top of the page to the acknowledgement button (as a keyboard user would) and presses Enter. */
async function pressAckButtonWithKeyboard(page: Page): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const onButton = await page.evaluate(() => {
      const el = document.activeElement;
      return !!el && el.tagName === 'BUTTON' && !!el.closest('form[action^="/checks/ack/"]');
    });
    if (onButton) {
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/checks/ack/')), page.keyboard.press('Enter')]);
      await page.waitForLoadState('load');
      return;
    }
  }
  assert.fail('the acknowledgement button is not reachable with Tab');
}

if (!chromiumAvailable()) {
  if (process.env.CI === 'true') {
    test('browser tests need Chromium under CI=true', () => {
      assert.fail(`Chromium is required under CI=true but ${CHROMIUM_PATH} does not exist`);
    });
  } else {
    process.stderr.write(`NOTICE: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH): skipping src/modules/checks/checks.browser.test.ts\n`);
    test('acknowledgement by link in Chromium', { skip: `no Chromium at ${CHROMIUM_PATH}` }, () => undefined);
  }
} else {
  eachEngine('acknowledgement of a communication check by link, in Chromium', (ctx) => {
    // A nested block, so the server and browser close before eachEngine drops the database.
    describe('server with a worker and an SMTP sink', () => {
      let smtp: SmtpSink;
      let server: RunningServer;
      let browser: Browser;
      let secretariat: Awaited<ReturnType<typeof enrolledClient>>;
      let pocs: SeededPoc[];
      let campaignId = '';

      before(async () => {
        const port = await freePort();
        smtp = await startSmtpSink();
        // The base URL is the server's own address, so the link in the e-mail is opened as it was sent.
        const config = loadConfig({}, { dataDir: ctx().dataDir, databaseUrl: ctx().databaseUrl, port, host: '127.0.0.1', baseUrl: `http://127.0.0.1:${port}`, smtpUrl: smtp.url, secret: Buffer.alloc(32, 9), demo: false });
        [server, browser] = await Promise.all([startServer(config, { worker: { pollMs: 20 } }), launchChromium()]);
        // Four POCs whose working languages are ar, zh, en and fr, in that order.
        pocs = await seedActivePocs(ctx().database, 4);
        secretariat = await enrolledClient(server.app, 'sec@un.example', 'secretariat');
        await secretariat.client.get('/checks');
        const res = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'exercise' });
        assert.equal(res.statusCode, 201, res.body);
        campaignId = res.json().id as string;
        const until = Date.now() + 15_000;
        while (pocs.some((p) => smtp.to(p.address).length === 0)) {
          if (Date.now() > until) throw new Error('the checks were not sent within 15 s');
          await sleep(20);
        }
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
        await smtp?.close();
      });

      const linkTo = (address: string): string => {
        const [mail] = smtp.to(address);
        const link = /http:\/\/127\.0\.0\.1:\d+\/checks\/ack\/[0-9a-f]{64}/.exec(mail!.parsed.text ?? '');
        assert.ok(link, `the e-mail to ${address} carries an acknowledgement link`);
        return link[0];
      };
      const counts = async () => (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts as { acknowledged: number; sent: number };
      const targetOf = (address: string) =>
        ctx().database.db.selectFrom('check_target').select(['status', 'channel', 'acknowledged_at']).where('campaign_id', '=', campaignId).where('address', '=', address).executeTakeFirstOrThrow();

      test('the POC opens the link from its e-mail, presses the button with the keyboard, and is acknowledged by link; the link then says it was used', { timeout: TEST_TIMEOUT }, async () => {
        const poc = pocs[2]!;
        const link = linkTo(poc.address);
        const { context, problems, newPage } = await watchedContext(browser, { locale: 'en-GB' });
        problems.allow(/status of 410/);
        const page = await newPage();
        const opened = await page.goto(link);
        assert.equal(opened?.status(), 200);
        const button = page.locator('form[action^="/checks/ack/"] button[type="submit"]');
        assert.equal((await button.textContent())?.trim(), en('checks.ack.submit'));
        assert.equal((await counts()).acknowledged, 0, 'opening the link acknowledges nothing');
        assert.equal((await targetOf(poc.address)).status, 'sent');
        await screenshot(page, 'check-ack-button');

        await pressAckButtonWithKeyboard(page);
        assert.equal((await page.locator('.notice-ok[role="status"]').textContent())?.trim(), en('checks.ack.done'));
        const target = await targetOf(poc.address);
        assert.equal(target.status, 'acknowledged');
        assert.equal(target.channel, 'link');
        assert.ok(target.acknowledged_at);
        assert.equal((await counts()).acknowledged, 1);

        const again = await page.goto(link);
        assert.equal(again?.status(), 410);
        assert.match((await page.locator('main').textContent()) ?? '', new RegExp(en('checks.token.used').replace(/[.]/g, '\\.')));
        assert.equal(await button.count(), 0, 'no button on the used link');
        assertClean(problems);
        await context.close();
      });

      test('in French (?lang=fr): the page, the confirmation and the used-link page speak French', { timeout: TEST_TIMEOUT }, async () => {
        const poc = pocs[3]!;
        const link = linkTo(poc.address);
        assert.match(smtp.to(poc.address)[0]!.parsed.subject ?? '', /^EXERCICE/, 'the e-mail went out in the POC’s working language');
        const { context, problems, newPage } = await watchedContext(browser, { locale: 'en-GB' });
        problems.allow(/status of 410/);
        const page = await newPage();
        assert.equal((await page.goto(`${link}?lang=fr`))?.status(), 200);
        assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
        assert.equal((await page.locator('form[action^="/checks/ack/"] button[type="submit"]').textContent())?.trim(), fr('checks.ack.submit'));
        assert.equal((await targetOf(poc.address)).status, 'sent');
        await pressAckButtonWithKeyboard(page);
        assert.equal((await page.locator('.notice-ok[role="status"]').textContent())?.trim(), fr('checks.ack.done'));
        assert.equal((await targetOf(poc.address)).channel, 'link');
        const again = await page.goto(link);
        assert.equal(again?.status(), 410);
        assert.ok(((await page.locator('main').textContent()) ?? '').includes(fr('checks.token.used')), 'the remembered language, French');
        assert.equal((await counts()).acknowledged, 2);
        assertClean(problems);
        await context.close();
      });
    });
  });
}
