// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the password-reset page in headless Chromium (Debian's /usr/bin/chromium,
// through playwright-core): opens LINK, types PASSWORD twice, submits, and prints
// {"state": "good"|"bad", "text": "...", "url": "..."} as JSON. Exit 0 when the page
// reached a verdict, 1 when it did not.
//
// usage: node reset_page.mjs LINK PASSWORD [SCREENSHOT.png]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [link, password, screenshot] = process.argv.slice(2);
if (!link || !password) {
  console.error('usage: node reset_page.mjs LINK PASSWORD [SCREENSHOT.png]');
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
  await page.goto(link, { waitUntil: 'load', timeout: 15000 });
  await page.fill('#password', password);
  await page.fill('#confirm', password);
  await page.click('#submit');
  await page.waitForFunction(() => {
    const s = document.getElementById('status');
    return s && (s.className === 'good' || s.className === 'bad');
  }, null, { timeout: 15000 });
  const state = await page.getAttribute('#status', 'class');
  const text = (await page.textContent('#status')).trim();
  if (screenshot) await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ state, text, url: page.url(), problems }));
} catch (error) {
  console.log(JSON.stringify({ state: 'error', text: String(error) }));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
