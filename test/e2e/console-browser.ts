import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const root = join(__dirname, '../..');

/** Where the end-to-end run leaves its screenshots of the console; the README shows them. */
export const SCREENSHOTS = join(root, 'docs/console');

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

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Whether the built tier app has the denials API (built by other work at the same time as the console): a
 * controller of it names a `denials` route. Read when the test file loads, so that the test can be
 * skipped by name; the test itself fails if the route then answers 404 all the same.
 */
export function tierAppServesDenials(): boolean {
  const dir = join(root, 'dist/apps/tier/apps/tier/src');
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.controller.js'))
      .some((file) => /['"`](?:[^'"`]*\/)?denials['"`]/.test(readFileSync(join(dir, file), 'utf8')));
  } catch {
    return false;
  }
}
