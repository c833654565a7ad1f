/**
 * A local HTML file as a PNG, through Debian's Chromium (playwright-core, offline; never a downloaded browser): the
 * docs' pictures (scripts/spend-report-image.ts, scripts/spend-dashboard-image.ts).
 */
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/slow/support/chromium.js';

/**
 * Renders `html` (a file path) at `width` × `height` CSS pixels and writes the whole page to `png`.
 * @example await screenshotHtml('/tmp/report.html', 'docs/images/report.png', { width: 1100, height: 900 });
 */
export async function screenshotHtml(
  html: string,
  png: string,
  viewport: { width: number; height: number },
): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport });
    await page.goto(pathToFileURL(html).href);
    await page.screenshot({ path: png, fullPage: true });
  } finally {
    await browser.close();
  }
}
