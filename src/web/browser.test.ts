import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { currentTotp } from '../auth/totp.ts';
import { DEMO_PASSWORD } from '../demo.ts';
import { eachEngine } from '../testing/engines.ts';
import {
  CHROMIUM_PATH,
  chromiumAvailable,
  demoAccount,
  launchChromium,
  screenshot,
  signInWithForm,
  startDemoServer,
  watchedContext,
  type PageProblems,
} from '../testing/browser.ts';
import type { RunningServer } from '../server.ts';
import { translator } from './i18n.ts';

// The pages in a real browser (Debian's Chromium through playwright-core), against a real server
// with the demo data, on both engines: sign-in with password and TOTP, the language switcher and
// right-to-left Arabic, keyboard-only use, the cross-State refusal, pages without JavaScript, and no
// CSP violation or console error anywhere on the way.

const en = translator('en');
// A TOTP code is good once per account (a replayed step is refused), so each test signs in as its
// own demo account: two sign-ins of one account within 30 seconds would need the same code twice.
const SECRETARIAT = 'secretariat@demo.cadre.example';
const ADMIN_FRA = 'admin.fra@demo.cadre.example';
const POC_FRA = 'poc.fra@demo.cadre.example';
const ADMIN_KEN = 'admin.ken@demo.cadre.example';
const POC_KEN = 'poc.ken@demo.cadre.example';
const TEST_TIMEOUT = 30_000;

async function htmlLangDir(page: Page): Promise<{ lang: string | null; dir: string | null }> {
  const html = page.locator('html');
  return { lang: await html.getAttribute('lang'), dir: await html.getAttribute('dir') };
}

async function accountLinkText(page: Page): Promise<string> {
  return ((await page.locator('.account-box a[href="/account"]').textContent()) ?? '').trim();
}

/** What the focused element is, and whether it shows a focus indicator. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    const box = el?.getBoundingClientRect();
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      name: el?.getAttribute('name') ?? '',
      id: el?.id ?? '',
      className: el?.className ?? '',
      outlineStyle: style?.outlineStyle ?? 'none',
      outlineWidth: style?.outlineWidth ?? '0px',
      onScreen: !!box && box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 && box.left < window.innerWidth && box.top < window.innerHeight,
    };
  });
}

function assertClean(problems: PageProblems): void {
  assert.deepEqual(problems.problems, [], 'no CSP violation, console error or uncaught exception');
}

if (!chromiumAvailable()) {
  if (process.env.CI === 'true') {
    test('browser tests need Chromium under CI=true', () => {
      assert.fail(`Chromium is required under CI=true but ${CHROMIUM_PATH} does not exist`);
    });
  } else {
    process.stderr.write(`NOTICE: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH): skipping the browser tests in src/web/browser.test.ts\n`);
    test('pages in Chromium', { skip: `no Chromium at ${CHROMIUM_PATH}` }, () => undefined);
  }
} else {
  eachEngine('pages in Chromium', (ctx) => {
    // A nested block, so the server and browser close before eachEngine drops the database.
    describe('demo server', () => {
      let server: RunningServer;
      let browser: Browser;
      let base: string;

      // Screenshots (SCREENSHOTS=1) from the SQLite run only: both engines render the same pages.
      const shot = (page: Page, name: string) => (ctx().engine === 'sqlite' ? screenshot(page, name) : Promise.resolve());

      before(async () => {
        [server, browser] = await Promise.all([startDemoServer(ctx()), launchChromium()]);
        base = server.url;
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
      });

      test('sign in with password and TOTP: the header then shows the account', { timeout: TEST_TIMEOUT }, async () => {
        const { context, problems, newPage } = await watchedContext(browser);
        const page = await newPage();
        await signInWithForm(page, base, POC_FRA);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await accountLinkText(page), demoAccount(POC_FRA).displayName);
        assert.equal(await page.locator('.account-box button[type="submit"]').textContent(), en('nav.signOut'));
        // The sign-in link has given way to the account and sign-out.
        assert.equal(await page.locator('.account-box a[href="/sign-in"]').count(), 0);
        assertClean(problems);
        await context.close();
      });

      test('the language switcher turns the page to Arabic, right to left, remembers it, and switches back', { timeout: TEST_TIMEOUT }, async () => {
        // The browser asks for French, so English at the end can only come from the remembered choice.
        const { context, problems, newPage } = await watchedContext(browser, { locale: 'fr-FR' });
        const page = await newPage();
        await page.goto(`${base}/sign-in`);
        assert.deepEqual(await htmlLangDir(page), { lang: 'fr', dir: 'ltr' });

        await Promise.all([page.waitForURL((u) => u.searchParams.get('lang') === 'ar'), page.click('nav.languages a[hreflang="ar"]')]);
        assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });
        assert.equal((await page.locator('main h1').textContent())?.trim(), translator('ar')('signIn.title'));
        assert.equal(await page.locator('nav.languages a[hreflang="ar"]').getAttribute('aria-current'), 'true');
        assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
        await shot(page, 'sign-in-ar');

        // The next page, reached by a plain link without ?lang=, is still in Arabic.
        await Promise.all([page.waitForURL((u) => u.pathname === '/states'), page.click('header a[href="/states"]')]);
        assert.equal(new URL(page.url()).searchParams.has('lang'), false);
        assert.deepEqual(await htmlLangDir(page), { lang: 'ar', dir: 'rtl' });

        await Promise.all([page.waitForURL((u) => u.searchParams.get('lang') === 'en'), page.click('nav.languages a[hreflang="en"]')]);
        assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' });
        await Promise.all([page.waitForURL((u) => u.pathname === '/sign-in'), page.click('.account-box a[href="/sign-in"]')]);
        assert.equal(new URL(page.url()).searchParams.has('lang'), false);
        assert.deepEqual(await htmlLangDir(page), { lang: 'en', dir: 'ltr' }, 'English is remembered in turn, over the French the browser asks for');
        assert.equal((await page.locator('main h1').textContent())?.trim(), en('signIn.title'));
        await shot(page, 'sign-in-en');
        assertClean(problems);
        await context.close();
      });

      test('keyboard only: skip link first, visible focus, fields reached with Tab, Enter submits', { timeout: TEST_TIMEOUT }, async () => {
        const { context, problems, newPage } = await watchedContext(browser);
        const page = await newPage();
        await page.goto(`${base}/sign-in`);
        const account = demoAccount(POC_KEN);

        await page.keyboard.press('Tab');
        const skip = await focused(page);
        assert.match(skip.className, /\bskip-link\b/, 'the first Tab reaches the skip link');
        assert.ok(skip.onScreen, 'the focused skip link is shown on screen');
        assert.notEqual(skip.outlineStyle, 'none');

        // Following the skip link moves focus to <main>; the next Tab is the first field of the form.
        await page.keyboard.press('Enter');
        assert.equal((await focused(page)).id, 'main');
        await page.keyboard.press('Tab');
        const email = await focused(page);
        assert.equal(email.name, 'email');
        assert.notEqual(email.outlineStyle, 'none', 'focus is visible on the first field');
        assert.notEqual(email.outlineWidth, '0px');
        await shot(page, 'sign-in-keyboard-focus');
        await page.keyboard.type(account.email);

        await page.keyboard.press('Tab');
        assert.equal((await focused(page)).name, 'password');
        await page.keyboard.type(DEMO_PASSWORD);
        await page.keyboard.press('Tab');
        const code = await focused(page);
        assert.equal(code.name, 'code');
        assert.notEqual(code.outlineStyle, 'none');
        await page.keyboard.type(currentTotp(account.totpSecret));

        await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.keyboard.press('Enter')]);
        assert.equal(await accountLinkText(page), account.displayName);
        assertClean(problems);
        await context.close();
      });

      test("State A's admin is refused State B's pages and lists only its own State's accounts", { timeout: TEST_TIMEOUT }, async () => {
        const pocKen = await ctx()
          .database.db.selectFrom('app_user')
          .select('id')
          .where('email', '=', POC_KEN)
          .executeTakeFirstOrThrow();
        const { context, problems, newPage } = await watchedContext(browser);
        const page = await newPage();
        await signInWithForm(page, base, ADMIN_FRA);

        // Chromium reports a document answered with 403 as a console error; that one is the point here.
        problems.allow(/status of 403 \(Forbidden\)/);
        const refused = await page.goto(`${base}/users/${pocKen.id}`);
        assert.equal(refused?.status(), 403);
        assert.equal((await page.locator('main h1').textContent())?.trim(), en('error.title.403'));
        assert.match((await page.locator('main').textContent()) ?? '', new RegExp(en('error.forbidden').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        assert.doesNotMatch(await page.content(), /poc\.ken@|Kenya point of contact/);
        await shot(page, 'forbidden');

        const list = await page.goto(`${base}/users`);
        assert.equal(list?.status(), 200);
        const emails = (await page.locator('main table tbody td.mono').allTextContents()).map((s) => s.trim()).sort();
        assert.deepEqual(emails, ['admin.fra@demo.cadre.example', 'poc.fra@demo.cadre.example']);
        const states = new Set((await page.locator('main table tbody tr td:nth-child(4)').allTextContents()).map((s) => s.trim()));
        assert.deepEqual([...states], ['France']);
        await shot(page, 'users-en');
        await page.goto(`${base}/users?lang=ar`);
        await shot(page, 'users-ar');
        assertClean(problems);
        await context.close();
      });

      test('with JavaScript disabled, sign-in still works', { timeout: TEST_TIMEOUT }, async () => {
        const { context, problems, newPage } = await watchedContext(browser, { javaScriptEnabled: false });
        const page = await newPage();
        await page.goto(`${base}/sign-in`);
        // No script ran: passkeys.js, which reveals the passkey box where WebAuthn exists, did not.
        assert.equal(await page.locator('#passkey-sign-in').isHidden(), true);
        await signInWithForm(page, base, ADMIN_KEN);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await accountLinkText(page), demoAccount(ADMIN_KEN).displayName);
        // Signed in, the pages answer as usual: Kenya's admin lists Kenya's two accounts.
        await page.goto(`${base}/users`);
        assert.equal(await page.locator('main table tbody tr').count(), 2);
        assertClean(problems);
        await context.close();
      });

      test('no CSP violation and no console error on the pages a signed-in user visits', { timeout: TEST_TIMEOUT }, async () => {
        const { context, problems, newPage } = await watchedContext(browser);
        const page = await newPage();
        await signInWithForm(page, base, SECRETARIAT);
        for (const path of ['/', '/states', '/users', '/audit', '/tokens', '/account', '/?lang=ar', '/users', '/?lang=en']) {
          const res = await page.goto(`${base}${path}`);
          assert.equal(res?.status(), 200, path);
          await page.waitForLoadState('load');
        }
        // The stylesheet and script did load under the CSP (the header has its colour).
        assert.equal(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(0, 90, 156)');
        assertClean(problems);

        // And the watch does see a violation when there is one: an inline style attribute is refused.
        await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
        await page.waitForTimeout(200);
        assert.ok(
          problems.problems.some((p) => p.startsWith('csp') && p.includes('style-src')),
          `the CSP watch reports a violation: ${JSON.stringify(problems.problems)}`,
        );
        await context.close();
      });
    });
  });
}
