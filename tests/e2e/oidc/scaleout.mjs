// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenID provider across instances (scaleout_e2e.sh): authorize and sign in on
// instance A (the sign-in page's password form, without JavaScript, as a browser
// without it would post it), redeem the code at B's token endpoint, refresh at C,
// userinfo at A; the code is spent everywhere; the ID token B signed verifies against
// the JWKS of each instance (jose). Prints lib.sh's lines and "rp total: …".
// usage: node scaleout.mjs ISSUER URL_A URL_B URL_C CLIENT_ID CLIENT_SECRET REDIRECT_URI EMAIL PASSWORD
import crypto from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { basic, check, counts, expect, expectEq, postForm } from './harness.mjs';

const [issuer, urlA, urlB, urlC, clientId, secret, redirectUri, email, password] = process.argv.slice(2);
const on = (base, location) => { // a provider URL, sent to instance `base`
  const u = new URL(location, base);
  return u.origin === new URL(issuer).origin || u.origin === new URL(base).origin ? base + u.pathname + u.search : u.toString();
};
const attr = (tag, name) => (tag.match(new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i')) || [])[1];
const unescape = (s) => (s || '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

// The sign-in page's password form, filled in and posted like a browser without JavaScript.
async function signIn(pageUrl, html) {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((m) => m[0]).find((f) => /type="password"/i.test(f));
  expect(form, 'a form with a password field on the sign-in page', html.slice(0, 300));
  const fields = new URLSearchParams();
  for (const [input] of form.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(input, 'name');
    const type = (attr(input, 'type') || 'text').toLowerCase();
    if (!name || ['submit', 'button', 'checkbox', 'radio'].includes(type)) continue;
    fields.set(name, type === 'password' ? password : type === 'hidden' ? unescape(attr(input, 'value')) : email);
  }
  const action = new URL(unescape(attr(form.match(/<form\b[^>]*>/i)[0], 'action')) || pageUrl, pageUrl);
  return fetch(on(urlA, action.toString()), {
    method: 'POST', redirect: 'manual', body: fields.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

// Walks the redirects on instance A, signing in when asked; returns the callback URL.
async function authorizeOnA(url) {
  let cookie = '';
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectUri)) return new URL(url);
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    let next = res.headers.get('location');
    if (!next && res.status === 200 && new URL(url).pathname === '/oauth2/signin') {
      const signed = await signIn(url, await res.text());
      const set = signed.headers.getSetCookie().find((c) => c.startsWith('gh_op='));
      expect(set, 'the gh_op cookie after signing in', `${signed.status} ${(await signed.text()).slice(0, 200)}`);
      cookie = set.split(';')[0];
      next = signed.headers.get('location');
    }
    expect(next, `a redirect from ${url}`, `${res.status}`);
    // A Location may be relative to the URL it answered (the flow sends "signin?request=…").
    const absolute = new URL(next, url).toString();
    url = absolute.startsWith(redirectUri) ? absolute : on(urlA, absolute);
  }
  throw new Error('too many redirects');
}

const verifier = crypto.randomBytes(32).toString('base64url');
const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
const authorize = new URL(`${urlA}/oauth2/authorize`);
for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code',
  scope: 'openid profile offline_access', code_challenge: challenge, code_challenge_method: 'S256',
  state: 'scale-state', nonce: 'scale-nonce' })) authorize.searchParams.set(k, v);

const auth = { authorization: basic(clientId, secret) };
let callback; let tokens; let refreshed;
await check('OIDC: authorize and sign in on A (the password form, no JavaScript): a code', async () => {
  callback = await authorizeOnA(authorize.toString());
  expect(callback.searchParams.get('code'), 'a code', callback.toString());
  expectEq([callback.searchParams.get('state'), callback.searchParams.get('iss')], ['scale-state', issuer], 'state iss');
});
const code = callback && callback.searchParams.get('code');
await check('OIDC: the code issued by A is redeemed at B\'s token endpoint', async () => {
  const r = await postForm(`${urlB}/oauth2/token`, { grant_type: 'authorization_code', code, redirect_uri: redirectUri,
                                                  code_verifier: verifier }, auth);
  expectEq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  tokens = r.json;
  expect(tokens.id_token && tokens.refresh_token, 'an ID token and a refresh token', tokens);
});
await check('OIDC: the ID token B signed verifies against the JWKS of A, B and C', async () => {
  for (const base of [urlA, urlB, urlC]) {
    const jwks = createLocalJWKSet(await (await fetch(`${base}/.well-known/jwks.json`)).json());
    const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer, audience: clientId });
    expectEq(payload.nonce, 'scale-nonce', `nonce (JWKS of ${base})`);
  }
});
await check('OIDC: B\'s refresh token works at C (rotated)', async () => {
  const r = await postForm(`${urlC}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, auth);
  expectEq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  refreshed = r.json;
  expect(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'a new refresh token', refreshed);
});
await check('OIDC: C\'s access token reads userinfo on A', async () => {
  const r = await fetch(`${urlA}/oauth2/userinfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  expectEq(r.status, 200, 'status');
  expect((await r.json()).sub, 'a sub');
});
await check('OIDC: the code replayed at C: invalid_grant (spent on B)', async () => {
  const r = await postForm(`${urlC}/oauth2/token`, { grant_type: 'authorization_code', code, redirect_uri: redirectUri,
                                                  code_verifier: verifier }, auth);
  expectEq([r.status, r.json && r.json.error], [400, 'invalid_grant'], 'status error');
});
await check('OIDC: …and the replay revoked what the code gave, on every instance (RFC 6749 4.1.2)', async () => {
  const r = await fetch(`${urlA}/oauth2/userinfo`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  expectEq(r.status, 401, 'userinfo status on A');
  const again = await postForm(`${urlB}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: refreshed.refresh_token }, auth);
  expectEq(again.status, 400, 'refresh status on B');
});
console.log(`rp total: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed ? 1 : 0);
