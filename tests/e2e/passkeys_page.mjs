// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the sign-in page (GET /signin) in headless Chromium (Debian's /usr/bin/chromium,
// through playwright-core) with the DevTools virtual authenticator (CTAP2, internal
// transport, resident keys, user verification): signs in with the password, registers a
// passkey, signs in with it and no password, as the second step after the password when
// the server asks for one; then tries a replayed assertion, an expired ceremony and
// assertions made for other origins. Prints one JSON object of what each step saw.
//
// usage: node passkeys_page.mjs BASE EMAIL PASSWORD CEREMONY_SECONDS [SCREENSHOT.png]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, email, password, ceremonySecs, screenshot] = process.argv.slice(2);
if (!base || !email || !password || !ceremonySecs) {
  console.error('usage: node passkeys_page.mjs BASE EMAIL PASSWORD CEREMONY_SECONDS [SCREENSHOT.png]');
  process.exit(2);
}
const out = { problems: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function verdict(page) { // waits for the page's status line to say good or bad
  await page.waitForFunction(() => {
    const s = document.getElementById('status');
    return s && (s.className === 'good' || s.className === 'bad');
  }, null, { timeout: 15000 });
  const state = await page.getAttribute('#status', 'class');
  const text = (await page.textContent('#status')).trim();
  await page.evaluate(() => { document.getElementById('status').className = ''; });
  return { state, text };
}

// In the page: an assertion for `options` (request options JSON), as AuthenticationResponseJSON.
async function assertIn(page, options) {
  return page.evaluate(async (json) => {
    const b = (t) => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const s = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    try {
      const cred = await navigator.credentials.get({ publicKey: { ...json, challenge: b(json.challenge), allowCredentials: [] } });
      const r = cred.response;
      return { id: cred.id, rawId: s(cred.rawId), type: cred.type, clientExtensionResults: {},
               response: { clientDataJSON: s(r.clientDataJSON), authenticatorData: s(r.authenticatorData),
                           signature: s(r.signature), userHandle: r.userHandle ? s(r.userHandle) : null } };
    } catch (e) { return { error: e.name }; }
  }, options);
}

async function post(path, body) { // from node, as any client could
  const r = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                       body: JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
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
  // The password's documented 401 (second step required) is logged by Chromium; nothing else may be.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) out.problems.push(m.text());
  });
  page.on('pageerror', (e) => out.problems.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
               hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  let lastLogin = null; // the body the page last posted to /api/auth/passkey/login
  page.on('request', (req) => {
    if (req.url().endsWith('/api/auth/passkey/login')) lastLogin = req.postData();
  });

  await page.goto(base + '/signin', { waitUntil: 'load', timeout: 15000 });
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#password-submit');
  out.password = await verdict(page);

  await page.fill('#passkey-label', 'E2E authenticator');
  await page.click('#add-passkey');
  out.register = await verdict(page);
  out.listed = (await page.textContent('#passkey-list')).trim();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  out.credentials = credentials.map((c) => ({ resident: c.isResidentCredential, rpId: c.rpId, signCount: c.signCount }));

  await page.click('#signout');
  await page.click('#passkey-signin');
  out.passwordless = await verdict(page);
  out.passwordlessWho = (await page.textContent('#who')).trim();

  // The same answer again: its ceremony is spent.
  out.replay = lastLogin ? await post('/api/auth/passkey/login', JSON.parse(lastLogin)) : null;

  // Password, then the passkey as the second step when the server asks for one.
  await page.click('#signout');
  await page.fill('#password', password);
  await page.click('#password-submit');
  await page.waitForFunction(() => !document.getElementById('second-step').hidden ||
                                   !document.getElementById('account').hidden ||
                                   document.getElementById('status').className === 'bad', null, { timeout: 15000 });
  out.secondStepAsked = await page.isVisible('#second-step');
  if (out.secondStepAsked) {
    await page.click('#second-passkey');
    out.secondFactor = await verdict(page);
  }
  if (screenshot) await page.screenshot({ path: screenshot });

  // An expired ceremony: options now, the assertion after they lapsed.
  const begun = await post('/api/auth/passkey/options', {});
  await sleep((Number(ceremonySecs) + 1) * 1000);
  const late = await assertIn(page, begun.body.options);
  out.expired = late.error ? { error: late.error } : await post('/api/auth/passkey/login', { ceremony: begun.body.ceremony, response: late });

  // Another origin the RP id covers (localhost on another port): the browser signs, the server refuses.
  const other = new URL(base); other.port = String(Number(other.port) === 9 ? 10 : 9);
  await page.route(other.origin + '/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>elsewhere</title>' }));
  await page.goto(other.origin + '/elsewhere');
  const foreign = await post('/api/auth/passkey/options', {});
  const forged = await assertIn(page, foreign.body.options);
  out.otherOrigin = forged.error ? { error: forged.error } : await post('/api/auth/passkey/login', { ceremony: foreign.body.ceremony, response: forged });

  // An origin the RP id does not cover (127.0.0.1): the browser itself refuses to sign.
  const ip = new URL(base); ip.hostname = '127.0.0.1';
  await page.goto(ip.origin + '/signin');
  const mismatched = await post('/api/auth/passkey/options', {});
  out.otherRpId = await assertIn(page, mismatched.body.options);
  console.log(JSON.stringify(out));
} catch (error) {
  out.error = String(error);
  console.log(JSON.stringify(out));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
