import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { enrolledClient } from '../../testing/users.ts';
import { translator } from '../../web/i18n.ts';
import type { App } from '../../web/types.ts';

// passkeys.js in real Chromium, against Chromium's virtual authenticator (DevTools WebAuthn domain):
// the page reveals its passkey controls, adds a passkey, signs in with it, and shows localized errors.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function withVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

if (!existsSync(CHROMIUM) && process.env.CI !== 'true') {
  test('passkeys in Chromium', { skip: `no Chromium at ${CHROMIUM}` }, () => undefined);
} else {
  eachEngine('passkeys in Chromium', (ctx) => {
    let app: App;
    let browser: Browser;
    let base: string;

    test('setup', async () => {
      const port = await freePort();
      // localhost is a secure context, so WebAuthn is available over plain HTTP; it is also the RP ID.
      base = `http://localhost:${port}`;
      app = await testApp(ctx(), { baseUrl: base });
      await app.listen({ port, host: 'localhost' });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    });
    after(async () => {
      await browser?.close();
      await app?.close();
    });

    test('add a passkey on the account page, then sign in with it alone', async () => {
      const { client } = await enrolledClient(app, 'pk.browser@example.org', 'poc', 'FRA');
      const context = await browser.newContext();
      await context.addCookies([{ name: 'cadre_session', value: client.cookies.get('cadre_session')!, url: base }]);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await withVirtualAuthenticator(page);

      await page.goto(`${base}/account`);
      await page.locator('[data-passkey-register]').waitFor({ state: 'visible' });
      assert.equal(await page.locator('[data-passkey-unsupported]').isVisible(), false);

      // The name comes first: the page says so in its own words, without asking the server.
      await page.click('[data-passkey-add]');
      assert.equal(await page.locator('[data-passkey-register] [data-passkey-error]').textContent(), 'Give the passkey a name first.');

      await page.fill('#passkey-name', 'Chromium key');
      await Promise.all([page.waitForURL(`${base}/account?done=passkey-added#passkeys`), page.click('[data-passkey-add]')]);
      assert.match(await page.content(), /<td>Chromium key<\/td>/);
      assert.match(await page.locator('#passkeys .notice-ok').textContent() ?? '', /Passkey added/);

      // The same authenticator again: the browser refuses (excludeCredentials), the page explains.
      await page.fill('#passkey-name', 'Twice');
      await page.click('[data-passkey-add]');
      const error = page.locator('[data-passkey-register] [data-passkey-error]');
      await error.waitFor({ state: 'visible' });
      assert.match((await error.textContent()) ?? '', /already holds a passkey/);

      // Signed out, the sign-in page's passkey button signs in without password or code.
      await context.clearCookies();
      await page.goto(`${base}/sign-in?next=/account`);
      await page.locator('#passkey-sign-in').waitFor({ state: 'visible' });
      await Promise.all([page.waitForURL(`${base}/account`), page.click('[data-passkey-sign-in]')]);
      assert.match(await page.content(), /pk\.browser@example\.org/);
      assert.deepEqual(pageErrors, []);
      await context.close();
    });

    test('a refusal from the server is shown with its localized detail', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // An authenticator holding a passkey for this site that the server never registered.
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable', { enableUI: false });
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await cdp.send('WebAuthn.addCredential', {
        authenticatorId,
        credential: {
          credentialId: Buffer.from('never-registered-here').toString('base64'),
          isResidentCredential: true,
          rpId: 'localhost',
          privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
          userHandle: Buffer.from('someone').toString('base64'),
          signCount: 0,
        },
      });
      await page.goto(`${base}/sign-in?lang=fr`);
      await page.locator('#passkey-sign-in').waitFor({ state: 'visible' });
      await page.click('[data-passkey-sign-in]');
      const error = page.locator('#passkey-sign-in [data-passkey-error]');
      await error.waitFor({ state: 'visible' });
      assert.equal(await error.textContent(), translator('fr')('passkey.signInFailed'));
      assert.equal(new URL(page.url()).pathname, '/sign-in', 'still on the sign-in page');
      await context.close();
    });
  });
}
