// SPDX-License-Identifier: GPL-3.0-or-later
// One second-factor scenario against the real `gatehouse serve`, with TOTP codes computed by
// an independent implementation (otplib, RFC 6238) from the secret the server handed out.
// State (the account, its secret and recovery codes) is kept between scenarios in $STATE.
// Exits non-zero with a message on the first failed expectation.
// usage: node factors_e2e.mjs SCENARIO   (env: GATEHOUSE, STATE)
import { readFileSync, writeFileSync } from 'node:fs';
import { generate } from 'otplib';

const { GATEHOUSE, STATE } = process.env;
const scenario = process.argv[2];
const PASSWORD = 'correct horse battery';

function expect(condition, message, detail) {
  if (!condition) {
    console.error(`expected: ${message}`);
    if (detail !== undefined) console.error(typeof detail === 'string' ? detail : JSON.stringify(detail));
    process.exit(1);
  }
}

async function call(method, path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(GATEHOUSE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

const now = () => Math.floor(Date.now() / 1000);
const code = (secret, offsetSecs = 0) => generate({ secret, epoch: now() + offsetSecs });
const load = () => JSON.parse(readFileSync(STATE, 'utf8'));
const save = (state) => writeFileSync(STATE, JSON.stringify(state));
const login = (email) => call('POST', '/api/auth/login', { email, password: PASSWORD });
async function challenge(email) {
  const r = await login(email);
  expect(r.status === 401 && r.json?.second_factor?.challenge, 'a second-step challenge', r.text);
  return r.json.second_factor.challenge;
}
const secondStep = (body) => call('POST', '/api/auth/login/second-factor', body);

const scenarios = {
  async enrol() {
    const admin = await call('POST', '/api/auth/login', { email: 'admin', password: 'admin' });
    expect(admin.status === 200, 'admin signs in', admin.text);
    const referrer = await call('POST', '/api/auth/me/create-token', undefined, admin.json.token);
    const email = `tess${Date.now()}@example.test`;
    const signup = await call('POST', '/api/auth/signup', { referrer: referrer.json.token, email, password: PASSWORD });
    expect(signup.status === 200, 'signup', signup.text);
    const jwt = signup.json.token;
    const start = await call('POST', '/api/auth/me/factors/totp', { label: 'Phone' }, jwt);
    expect(start.status === 200 && /^[A-Z2-7]{32}$/.test(start.json.secret), 'a base32 secret', start.text);
    expect(start.json.otpauth_uri.includes(`secret=${start.json.secret}`), 'the otpauth URI carries it', start.text);
    expect(start.json.qr_svg.startsWith('data:image/svg+xml;base64,'), 'a QR code', start.text);
    const before = await login(email);
    expect(before.status === 200, 'an unconfirmed enrolment changes nothing', before.text);
    const secret = start.json.secret;
    const confirmed = await call('POST', '/api/auth/me/factors/totp/confirm', { factor_id: start.json.factor_id, code: await code(secret) }, jwt);
    expect(confirmed.status === 200 && confirmed.json.recovery_codes.length === 10, 'confirmed, ten recovery codes', confirmed.text);
    save({ email, secret, jwt, recovery: confirmed.json.recovery_codes });
  },
  async passwordAlone() {
    const { email } = load();
    const r = await login(email);
    expect(r.status === 401, 'the password alone gets 401', r.text);
    expect(r.json.token === undefined, 'and no token', r.text);
    expect(r.json.error === 'Enter the code from your authenticator app', 'a sentence to show', r.text);
    expect(JSON.stringify(r.json.second_factor.methods) === '["totp","recovery_code"]', 'the methods', r.text);
  },
  async code() {
    const state = load();
    // The confirming code spent this step; the next step's code is inside the window.
    const next = await code(state.secret, 30);
    const r = await secondStep({ challenge: await challenge(state.email), code: next });
    expect(r.status === 200 && r.json.token && r.json.user.email === state.email, 'the code completes the login', r.text);
    const me = await call('GET', '/api/auth/me', undefined, r.json.token);
    expect(me.status === 200, 'the token works', me.text);
    save({ ...state, used: next });
  },
  async replay() {
    const state = load();
    const r = await secondStep({ challenge: await challenge(state.email), code: state.used });
    expect(r.status === 403 && r.json.error === 'Wrong OTP' && /already used/.test(r.json.detail), 'a used code is refused', r.text);
  },
  async wrongStep() {
    const state = load();
    const c = await challenge(state.email);
    for (const offset of [-90, 90, -3600]) {
      const r = await secondStep({ challenge: c, code: await code(state.secret, offset) });
      expect(r.status === 403 && r.json.detail === 'the code is wrong', `a code ${offset} s off is refused`, r.text);
    }
  },
  async wrongCode() {
    const state = load();
    const other = await code('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const r = await secondStep({ challenge: await challenge(state.email), code: other });
    expect(r.status === 403 && r.json.error === 'Wrong OTP', "another secret's code is refused", r.text);
    const bad = await secondStep({ challenge: 'made-up', code: await code(state.secret) });
    expect(bad.status === 403 && bad.json.error === 'Invalid token', 'an unknown challenge is refused', bad.text);
  },
  async recovery() {
    const state = load();
    const first = await secondStep({ challenge: await challenge(state.email), recovery_code: state.recovery[0] });
    expect(first.status === 200 && first.json.token, 'a recovery code completes the login', first.text);
    const again = await secondStep({ challenge: await challenge(state.email), recovery_code: state.recovery[0] });
    expect(again.status === 403, 'the same recovery code is refused', again.text);
    const list = await call('GET', '/api/auth/me/factors', undefined, state.jwt);
    expect(list.status === 200 && list.json.recovery_codes_left === 9 && list.json.factors.length === 1, 'nine left', list.text);
  },
  async remove() {
    const state = load();
    const list = await call('GET', '/api/auth/me/factors', undefined, state.jwt);
    const id = list.json.factors[0].id;
    const refused = await call('DELETE', `/api/auth/me/factors/${id}`, { password: 'not the password' }, state.jwt);
    expect(refused.status === 403, 'removal needs the password', refused.text);
    const removed = await call('DELETE', `/api/auth/me/factors/${id}`, { password: PASSWORD }, state.jwt);
    expect(removed.status === 200, 'removed with the password', removed.text);
    const r = await login(state.email);
    expect(r.status === 200 && r.json.token, 'the password alone signs in again', r.text);
  },
};

const run = scenarios[scenario];
if (!run) {
  console.error(`unknown scenario ${scenario}`);
  process.exit(2);
}
await run();
