/**
 * Driving the widget in Debian's Chromium (playwright-core, never a downloaded browser): what the
 * page shows, counted as a person sees it, and typing as a person types.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH for another. Never a downloaded browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const INPUT = '[data-id="webchat-sendbox-input"]';

/** Problems the page reported: script errors and Content-Security-Policy refusals. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  return problems;
}

/** The page's globals, as the functions below use them inside the browser. */
export interface InPage {
  document: {
    body: { innerText: string };
    documentElement: { scrollWidth: number };
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
  };
  sessionStorage: { getItem(key: string): string | null };
}

/** How many message bubbles in the transcript start with this text. */
export function bubbles(page: Page, start: string): Promise<number> {
  return page.evaluate(
    (text) =>
      Array.from((globalThis as unknown as InPage).document.querySelectorAll('.webchat__bubble__content')).filter((bubble) =>
        (bubble.textContent ?? '').trim().startsWith(text),
      ).length,
    start,
  );
}

/**
 * How many times the visible text of the page matches. Web Chat also writes each message into
 * hidden screen-reader labels; innerText leaves hidden elements out, so each counts once. (Run
 * inside the browser: functions, not strings, as the page's CSP rightly refuses eval.)
 */
function visibleMatches({ source, flags }: { source: string; flags: string }): number {
  const page = globalThis as unknown as InPage;
  return (page.document.body.innerText.match(new RegExp(source, `${flags.replace('g', '')}g`)) ?? []).length;
}

export function count(page: Page, pattern: RegExp): Promise<number> {
  return page.evaluate(visibleMatches, { source: pattern.source, flags: pattern.flags });
}

/** Waits until the page shows text matching the pattern (more times than `seen`). */
export async function shows(page: Page, pattern: RegExp, seen = 0, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    ({ source, flags, before }) => {
      const inPage = globalThis as unknown as InPage;
      return (inPage.document.body.innerText.match(new RegExp(source, `${flags.replace('g', '')}g`)) ?? []).length > before;
    },
    { source: pattern.source, flags: pattern.flags, before: seen },
    { timeout },
  );
}

/** A box measured once the element stays on the page long enough to be measured (null after 5 s of trying). */
export async function measured<T>(measure: () => Promise<T | null>): Promise<T | null> {
  for (let tries = 0; tries < 50; tries += 1) {
    const box = await measure().catch(() => null);
    if (box) return box;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

/** Types a message as a person would and waits (15 s unless told) for a reply matching `expected` to appear. */
export async function say(page: Page, text: string, expected: RegExp, timeout?: number): Promise<void> {
  const started = Date.now();
  const before = await count(page, expected);
  await page.locator(INPUT).fill('');
  await page.locator(INPUT).pressSequentially(text, { delay: 5 });
  await page.locator(INPUT).press('Enter');
  await shows(page, expected, before, timeout);
  if (process.env['E2E_TIMINGS']) process.stderr.write(`${Date.now() - started}ms ${text}\n`);
}

/** Debian's Chromium, headless, as the e2e tests run it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (sudo apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
}
