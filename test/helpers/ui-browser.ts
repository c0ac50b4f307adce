/** Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for UI checks. */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from './wait-for';

export const CHROMIUM = process.env.CUTOVER_CHROMIUM ?? '/usr/bin/chromium';
let browser: Browser | undefined;

/** `test`, or `test.skip` after a loud warning when there is no Chromium here. */
export function uiTest(): jest.It {
  if (fs.existsSync(CHROMIUM)) return test;
  console.warn(
    `\n*** WEB UI CHECK SKIPPED: no Chromium at ${CHROMIUM}. ` +
      `Install it (scripts/install-tools.sh does, as root: apt-get ` +
      `install chromium) or set CUTOVER_CHROMIUM. ***\n`,
  );
  return test.skip;
}

export async function newPage(): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  // tall: the UI renders only what is in view
  return browser.newPage({ viewport: { width: 1600, height: 4000 } });
}

afterAll(async () => {
  await browser?.close();
  browser = undefined;
});

/**
 * The page as the UI renders it, reloaded until `ready` holds (visibility and queries are there
 * eventually). Not "networkidle": the UI polls while a workflow runs, so the network never rests.
 */
export async function openUntil(page: Page, url: string, ready: () => Promise<boolean>) {
  try {
    await waitFor(`${url} to show what the test waits for`, async () => {
      await page.goto(url, { waitUntil: 'load' });
      for (let i = 0; i < 10; i++) {
        if (await ready()) return true;
        await page.waitForTimeout(500);
      }
      return undefined;
    });
  } catch (err) {
    await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/cutover-ui-timeout.png`, fullPage: true });
    throw new Error(`${(err as Error).message}; the page shows:\n${(await page.innerText('body')).slice(0, 3000)}`);
  }
}

/** The text of the page and of every frame in it (the UI renders markdown details in a frame of their own). */
export async function pageText(page: Page): Promise<string> {
  const texts = await Promise.all(page.frames().map((f) => f.innerText('body').catch(() => '')));
  return texts.join('\n');
}
