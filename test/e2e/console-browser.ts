import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

const root = join(__dirname, '../..');

/**
 * Where the end-to-end run leaves its screenshots of the console: .data (git-ignored) on every run, so
 * that a test run leaves the work tree clean; docs/console, which the README shows, when
 * CONSOLE_SCREENSHOTS=docs (to refresh the committed pictures after the pages changed).
 */
export const SCREENSHOTS =
  process.env.CONSOLE_SCREENSHOTS === 'docs'
    ? join(root, 'docs/console')
    : join(root, '.data/console-screenshots');

/**
 * Debian's chromium, installed by scripts/chromium.sh when missing (apt-get; nothing is downloaded from
 * elsewhere). The flags keep it from calling home: no background networking, component updates, sync or
 * QUIC, and a profile of its own that is thrown away afterwards.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = execFileSync('bash', [join(root, 'scripts/chromium.sh')], {
    encoding: 'utf8',
  }).trim();
  const profile = mkdtempSync(join(tmpdir(), 'metergate-console-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    timezoneId: 'Europe/Paris',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in as a person would with the keyboard alone: the token field has the focus, Tab moves to the
 * name, Enter submits.
 */
export async function signIn(page: Page, consoleUrl: string, token: string, actor: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('Bearer token').waitFor();
  await page.keyboard.type(token);
  await page.keyboard.press('Tab');
  await page.keyboard.type(actor);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
}

/** A whole page, or one part of it. */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await ('goto' in target ? target.screenshot({ path, fullPage: true }) : target.screenshot({ path }));
}
