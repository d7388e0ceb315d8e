// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the OpenID provider's sign-in page (GET /oauth2/signin?request=ID) in headless
// Chromium (Debian's /usr/bin/chromium through playwright-core): the password form with
// JavaScript off (a wrong password, then the right one) and on, then a passkey registered
// on the account page (GET /signin) with the DevTools virtual authenticator signs in on
// the provider page. Each success must go on through /oauth2/authorize/continue to the
// client's redirect URI (a listener the shell script runs, CB_PORT) with the gh_op cookie set.
// Prints one JSON object of what each step saw.
//
// usage: node oidc_signin_page.mjs BASE EMAIL PASSWORD REQUEST1 REQUEST2 REQUEST3 REQUEST4
import { chromium } from 'playwright-core';

const [base, email, password, ...requests] = process.argv.slice(2);
if (!base || !email || !password || requests.length < 4) {
  console.error('usage: node oidc_signin_page.mjs BASE EMAIL PASSWORD REQUEST1 … REQUEST4');
  process.exit(2);
}
const out = { problems: [] };
const atApp = new RegExp(`^http://127\\.0\\.0\\.1:${process.env.CB_PORT}/cb\\?`);
const signinUrl = (id) => `${base}/oauth2/signin?request=${id}`;

async function newContext(browser, javaScriptEnabled) {
  const context = await browser.newContext({ javaScriptEnabled });
  await context.route(atApp, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><title>continued</title>' }));
  return context;
}
function watch(page) {
  page.on('console', (m) => {
    // failed loads are judged by the response listener below (a refused password is a 401 page)
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) out.problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !/\/favicon\.ico$/.test(r.url()) && !/\/oauth2\/signin\/password$/.test(r.url()) &&
        true) // a refused password is a 401 page, judged by the checks
      out.problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => out.problems.push(String(e)));
}
async function arrived(page, context) {
  await page.waitForURL(atApp, { timeout: 15000 });
  const cookie = (await context.cookies()).find((c) => c.name === 'gh_op');
  return { url: page.url(), cookie: cookie ? { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite } : null };
}
async function passwordSignIn(page, id, pass) {
  await page.goto(signinUrl(id), { waitUntil: 'load', timeout: 15000 });
  await page.fill('#email', email);
  await page.fill('#password', pass);
  await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.click('#password-submit')]);
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });

  // 1. JavaScript off: plain form posts.
  let context = await newContext(browser, false);
  let page = await context.newPage();
  watch(page);
  await passwordSignIn(page, requests[0], 'not the password');
  out.noJsWrong = (await page.textContent('#error')).trim();
  out.noJsKeptEmail = await page.inputValue('#email');
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(atApp, { timeout: 15000 }), page.click('#password-submit')]);
  out.noJs = await arrived(page, context);
  await context.close();

  // 2. JavaScript on: the same form, and the scripted buttons where the browser can.
  context = await newContext(browser, true);
  page = await context.newPage();
  watch(page);
  await page.goto(signinUrl(requests[1]), { waitUntil: 'load', timeout: 15000 });
  out.passkeyOffered = await page.isVisible('#passkey-signin');
  out.walletOffered = await page.isVisible('#wallet-signin');
  await page.setViewportSize({ width: 320, height: 640 });
  out.narrowOverflow = await page.evaluate(() => document.documentElement.scrollWidth > 320);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(atApp, { timeout: 15000 }), page.click('#password-submit')]);
  out.js = await arrived(page, context);

  // 3. A passkey: registered on the account page, then used on the provider page.
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
               hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(base + '/signin', { waitUntil: 'load', timeout: 15000 });
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#password-submit');
  await page.waitForSelector('#account:not([hidden])', { timeout: 15000 });
  await page.fill('#passkey-label', 'E2E authenticator');
  await page.click('#add-passkey');
  await page.waitForFunction(() => ['good', 'bad'].includes(document.getElementById('status').className),
                             null, { timeout: 15000 });
  out.registered = await page.getAttribute('#status', 'class');
  await context.clearCookies();
  await page.goto(signinUrl(requests[2]), { waitUntil: 'load', timeout: 15000 });
  await Promise.all([page.waitForURL(atApp, { timeout: 15000 }), page.click('#passkey-signin')]);
  out.passkey = await arrived(page, context);
  await context.close();
} catch (e) {
  out.error = String(e && e.stack || e);
} finally {
  if (browser) await browser.close();
}
console.log(JSON.stringify(out));
