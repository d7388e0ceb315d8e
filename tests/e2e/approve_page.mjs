// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the device-login approval page in headless Chromium (Debian's /usr/bin/chromium,
// through playwright-core): opens LINK, reads the platform the page names, presses the
// Approve (or Deny) button, or presses nothing, and prints
// {"platform": "...", "heading": "...", "status": N, "url": "...", "problems": [...]} as JSON,
// where heading and status are those of the page after the press (or of the opened page
// when nothing is pressed). Exit 0 when the page could be driven, 1 otherwise.
//
// usage: node approve_page.mjs LINK approve|deny|none [SCREENSHOT.png]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [link, press, screenshot] = process.argv.slice(2);
if (!link || !['approve', 'deny', 'none'].includes(press)) {
  console.error('usage: node approve_page.mjs LINK approve|deny|none [SCREENSHOT.png]');
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  let response = await page.goto(link, { waitUntil: 'load', timeout: 15000 });
  const platform = (await page.locator('#platform').count())
    ? (await page.textContent('#platform')).trim() : null;
  if (press !== 'none') {
    const [answer] = await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: 15000 }),
      page.click('#' + press),
    ]);
    response = answer;
  }
  const heading = (await page.textContent('h1')).trim();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ platform, heading, status: response ? response.status() : 0,
                               url: page.url(), problems }));
} catch (error) {
  console.log(JSON.stringify({ heading: 'error', text: String(error) }));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
