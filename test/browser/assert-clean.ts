import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { PageWatch } from "./chromium.js";

/** Nothing went wrong on the page: no payload ran (window.__xss unset), no dialog, no console error. */
export async function assertClean(page: Page, watch: PageWatch): Promise<void> {
  // Give late handlers (onerror of a broken image, onload of an svg) a moment to fire.
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, "an XSS payload ran");
  assert.deepEqual(watch.dialogs, [], "a dialog was opened");
  assert.deepEqual(watch.errors, [], "console errors");
}
