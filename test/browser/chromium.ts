/**
 * Debian's headless Chromium for the browser tests, driven by playwright-core (which downloads nothing).
 * Without Chromium a test file is skipped with how to install it, except under CI, where .ci/run installs it
 * and its absence is a failure.
 */
import type { Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface PlannableTest {
  plan(count: number, comment?: string): void;
  teardown(fn: () => unknown): void;
}

/** True when Chromium is installed; otherwise plans no test (with the reason) or, under CI, throws. */
export function chromiumInstalled(t: PlannableTest): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    throw new Error(`CI is set but no Chromium at ${CHROMIUM}: .ci/run must install it (apt-get install chromium)`);
  t.plan(0, `skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return false;
}

/** Launches Chromium headless, closed at the test's teardown. */
export async function launchChromium(t: PlannableTest): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());
  // tsx (the test runner's TypeScript loader, esbuild) keeps function names with a `__name(fn, "name")` helper
  // call, and a function sent to `page.evaluate` is sent as its source text: the page needs the helper too.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript({ content: KEEP_NAMES_HELPER });
    return context;
  };
  return browser;
}

/** esbuild's `__name` helper, as its output defines it, for pages that run functions compiled by tsx. */
const KEEP_NAMES_HELPER =
  'globalThis.__name ??= (target, value) => Object.defineProperty(target, "name", { value, configurable: true });';
