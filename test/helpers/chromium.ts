import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";

/** The system's Chromium (Debian's `chromium` package; .ci/run installs it), if there is one. */
export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));

/** CI must judge the report in a browser; elsewhere a machine without Chromium skips those tests. */
export const REQUIRE_BROWSER = Boolean(process.env.ACI_MIGRATE_REQUIRE_BROWSER);

/**
 * Opens a file in headless Chromium, offline, and reports what a person would meet: the page's errors (uncaught
 * exceptions, console errors, requests that failed or left the file), its title and its text.
 */
export async function openInChromium<T = undefined>(
  file: string,
  o: { screenshot?: string; inspect?: (page: Page) => Promise<T> } = {},
): Promise<{ errors: string[]; title: string; text: string; svgs: number; inspected?: T }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => (m.type() === "error" ? errors.push(`console: ${m.text()}`) : undefined));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    const url = pathToFileURL(file).href;
    page.on("request", (r) => (r.url() === url ? undefined : errors.push(`left the file: ${r.url()}`)));
    await page.goto(url, { waitUntil: "load" });
    const seen = { errors, title: await page.title(), text: await page.innerText("body"), svgs: await page.locator("svg").count() };
    if (o.screenshot) await page.screenshot({ path: o.screenshot, fullPage: true });
    return o.inspect ? { ...seen, inspected: await o.inspect(page) } : seen;
  } finally {
    await browser.close();
  }
}
