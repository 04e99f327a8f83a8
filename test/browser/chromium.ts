import { existsSync, mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
export const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url);

/**
 * Why browser tests cannot run here, or null when they can. With
 * TUNEBOOK_REQUIRE_ALL=1 a missing browser is a failure, not a skip.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `${CHROMIUM} is missing (install Debian's chromium package)`;
  if (process.env.TUNEBOOK_REQUIRE_ALL === "1") throw new Error(`Browser tests are required (TUNEBOOK_REQUIRE_ALL=1) but ${why}.`);
  console.warn(`\n*** SKIPPING browser tests: ${why}. ***\n`);
  return why;
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** What a page did that it should not have: console errors, uncaught exceptions, dialogs; and every console line. */
export interface PageWatch {
  errors: string[];
  dialogs: string[];
  /** Every console message, as "type: text" (warnings included). */
  console: string[];
}

/** A new page that records errors and dialogs (dialogs are dismissed: an XSS probe would open one). */
export async function watchedPage(browser: Browser): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const watch: PageWatch = { errors: [], dialogs: [], console: [] };
  page.on("console", (m) => {
    watch.console.push(`${m.type()}: ${m.text()}`);
    if (m.type() === "error") watch.errors.push(m.text());
  });
  page.on("pageerror", (e) => watch.errors.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, watch };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });
}
