// SPDX-License-Identifier: GPL-3.0-or-later
// What every relying-party scenario of oidc_e2e.sh shares: pass/fail bookkeeping in
// lib.sh's format, the relying party's redirect_uri (a tiny node http server that
// records each callback, GET query or form_post), headless Chromium (Debian's
// /usr/bin/chromium through playwright-core, a fresh --user-data-dir) and the walk
// through the provider's sign-in and consent pages.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const counts = { passed: 0, failed: 0, skipped: 0 };

// check NAME FN: runs FN (async); a throw is a failure, printed with its reason.
export async function check(name, fn) {
  try {
    await fn();
    counts.passed++;
    console.log(`  ok   ${name}`);
  } catch (e) {
    counts.failed++;
    console.log(`  FAIL ${name}`);
    const text = e && e.stack ? `${e.message}${e.cause ? ` (cause: ${JSON.stringify(e.cause)})` : ''}` : String(e);
    for (const line of text.split('\n').slice(0, 8)) console.log(`       ${line}`);
  }
}

export function skip(name, why) {
  counts.skipped++;
  console.log(`  skip ${name}: ${why}`);
}

export function expect(condition, message, detail) {
  if (!condition) {
    throw new Error(`expected ${message}${detail === undefined ? '' : `\ngot: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
  }
}

export function expectEq(actual, expected, what = 'value') {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}\ngot: ${a}`);
}

// Awaits `promise`, which must reject; returns the error (for its message or code).
export async function rejects(promise, what) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error(`expected ${what} to be refused, it was accepted`);
}

// Describes a refusal thrown by openid-client / oauth4webapi: its message plus the
// OAuth error code when the server sent one.
export function describe(error) {
  const parts = [];
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    if (e instanceof Error) parts.push(`${e.code || ''} ${e.error || ''} ${e.message}`);
    else { try { parts.push(JSON.stringify(e)); } catch { parts.push(String(e)); } }
  }
  return parts.join(' / ');
}

// The relying party's redirect_uri and post_logout_redirect_uri: records every request
// (path, method, parameters from the query or the form_post body).
export function startCallbackServer(port) {
  const hits = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const url = new URL(req.url, `http://127.0.0.1:${port}`);
      const params = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      hits.push({ path: url.pathname, method: req.method, params, url: url.toString(),
                  contentType: req.headers['content-type'] || '' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="en"><title>relying party</title><p>callback received</p></html>');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    hits,
    close: () => new Promise((r) => server.close(r)),
  })));
}

export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'gatehouse-oidc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(8000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  return {
    context, page, problems,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The password form of the sign-in page (the page may offer other methods in other forms).
async function signIn(page, user) {
  const byPassword = page.locator('form:has(input[type=password])');
  const scope = (await byPassword.count()) ? byPassword.first() : page;
  const email = scope.locator('input[type=email], input[name=email], input[name=username], ' +
                              'input[autocomplete~=username], input[type=text]').first();
  await email.fill(user.email);
  const password = scope.locator('input[type=password]').first();
  if (!(await password.isVisible())) { // an email-first page: go on to the methods
    await email.press('Enter');
    await password.waitFor({ state: 'visible', timeout: 5000 });
  }
  await password.fill(user.password);
  const button = scope.getByRole('button', { name: /sign in|log in|continue/i }).first();
  await ((await button.count()) ? button.click() : password.press('Enter'));
}

async function consent(page) {
  await page.getByRole('button', { name: /allow|approve|accept|grant|continue|yes/i }).first().click();
}

// Opens `url` (an authorization request) in the browser and walks the provider's pages
// until the relying party's `callbackPath` is hit: signs in as `user` when the sign-in
// page shows, consents when the consent page shows. Returns the callback and what was
// shown on the way ({signin, consent}).
export async function authorizeInBrowser(browser, callbacks, url, user, callbackPath = '/cb') {
  const { page } = browser;
  const before = callbacks.hits.length;
  const seen = { signin: 0, consent: 0, pages: [] };
  await page.goto(String(url));
  for (let i = 0; i < 200; i++) {
    const hit = callbacks.hits.slice(before).find((h) => h.path === callbackPath);
    if (hit) return { ...hit, seen };
    const at = new URL(page.url());
    if (!seen.pages.includes(at.pathname)) seen.pages.push(at.pathname);
    if (at.pathname === '/oauth2/signin' && seen.signin === 0) {
      seen.signin++;
      await page.waitForLoadState('domcontentloaded');
      await signIn(page, user);
    } else if (at.pathname === '/oauth2/consent' && seen.consent === 0) {
      seen.consent++;
      await page.waitForLoadState('domcontentloaded');
      await consent(page);
    }
    await sleep(75);
  }
  const text = (await page.innerText('body').catch(() => '')).replace(/\s+/g, ' ');
  throw new Error(`no callback to ${callbackPath}; the browser is at ${page.url()}: ${text.trim().slice(0, 500)}`);
}

// A raw form POST (for what no RP library would send on purpose).
export async function postForm(url, params, headers = {}) {
  const res = await fetch(url, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

export async function getManual(url, headers = {}) {
  const res = await fetch(String(url), { redirect: 'manual', headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
}

export const basic = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
