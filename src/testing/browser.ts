import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { currentTotp } from '../auth/totp.ts';
import { loadConfig } from '../config.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoAccount } from '../demo.ts';
import { startServer, type RunningServer } from '../server.ts';
import type { EngineContext } from './engines.ts';

/** Debian's Chromium, unless CHROMIUM_PATH names another build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'];

/** Where screenshots go when SCREENSHOTS=1. */
export const SCREENSHOT_DIR = '/tmp/cadre-shots';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A real server on 127.0.0.1, on a free port, with the demo accounts, over the engine's database. */
export function startDemoServer(ctx: EngineContext): Promise<RunningServer> {
  const config = loadConfig(
    {},
    {
      dataDir: ctx.dataDir,
      databaseUrl: ctx.databaseUrl,
      port: 0,
      host: '127.0.0.1',
      demo: true,
      secret: randomBytes(32),
      baseUrl: 'http://localhost',
    },
  );
  return startServer(config);
}

export function demoAccount(email: string): DemoAccount {
  const account = DEMO_ACCOUNTS.find((a) => a.email === email);
  if (!account) throw new Error(`no demo account ${email}`);
  return account;
}

/**
 * Everything a page reported that a clean page would not: console errors, uncaught exceptions and
 * Content-Security-Policy violations (the `securitypolicyviolation` event when scripts run; Chromium
 * also prints every violation as a console error, which covers pages without JavaScript).
 */
export class PageProblems {
  readonly problems: string[] = [];
  private readonly allowed: RegExp[] = [];

  /** Expected messages, e.g. Chromium's "Failed to load resource … 403" on a page meant to be refused. */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /** Left out of `problems`: Cadre serves no /favicon.ico, and Chromium asks for one on every site. */
  readonly ignored: string[] = [];

  record(kind: string, text: string, where: string): void {
    if (kind === 'console.error' && this.allowed.some((p) => p.test(text))) return;
    if (kind === 'console.error' && /\/favicon\.ico$/.test(where) && /status of 404/.test(text)) {
      this.ignored.push(`${where}: ${text}`);
      return;
    }
    this.problems.push(`${kind} on ${where}: ${text}`);
  }

  watch(page: Page): Page {
    page.on('console', (m) => {
      if (m.type() === 'error') this.record('console.error', m.text(), m.location().url || page.url());
    });
    page.on('pageerror', (e) => this.record('pageerror', e.message, page.url()));
    return page;
  }
}

interface CspReport {
  directive: string;
  blocked: string;
  sample: string;
}

/** A fresh context whose pages are all watched; close it when done. */
export async function watchedContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; problems: PageProblems; newPage(): Promise<Page> }> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(10_000);
  const problems = new PageProblems();
  await context.exposeBinding('__cadreCspViolation', (source, report: CspReport) => {
    problems.record('csp', `${report.directive} blocked ${report.blocked || '(inline)'} ${report.sample}`.trim(), source.page?.url() ?? '?');
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __cadreCspViolation?: (r: CspReport) => void }).__cadreCspViolation;
      report?.({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  return { context, problems, newPage: async () => problems.watch(await context.newPage()) };
}

/** Fills the sign-in form with the demo password and the current TOTP code, submits, and waits to leave /sign-in. */
export async function signInWithForm(page: Page, baseUrl: string, email: string): Promise<void> {
  const account = demoAccount(email);
  await page.goto(`${baseUrl}/sign-in`);
  await page.fill('input[name="email"]', account.email);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.fill('input[name="code"]', currentTotp(account.totpSecret));
  await Promise.all([page.waitForURL((u) => u.pathname !== '/sign-in'), page.click('form[action="/sign-in"] button[type="submit"]')]);
}

/** Saves a full-page screenshot to SCREENSHOT_DIR/<name>.png when SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}
