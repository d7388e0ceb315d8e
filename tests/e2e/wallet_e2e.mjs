// SPDX-License-Identifier: GPL-3.0-or-later
// One wallet-surface scenario against the real `gatehouse serve`, with wallets and
// providers made independently of Gatehouse's code: ethers (EIP-191 personal_sign),
// tweetnacl (ed25519), node:crypto (Telegram widget hash, PKCE), the oidc-provider and
// Apple stand-in of wallet_idp.mjs, mail through smtpsink.py, SMS through the idp's
// webhook. Exits non-zero with a message on the first failed expectation.
// usage: node wallet_e2e.mjs SCENARIO   (env: GATEHOUSE, IDP, APP_REDIRECT, MAILDIR, BOT_TOKEN)
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Wallet, encodeBase58, getAddress } from 'ethers';
import nacl from 'tweetnacl';

const { GATEHOUSE, IDP, APP_REDIRECT, MAILDIR, BOT_TOKEN } = process.env;
const scenario = process.argv[2];

function expect(condition, message, detail) {
  if (!condition) {
    console.error(`expected: ${message}`);
    if (detail !== undefined) console.error(typeof detail === 'string' ? detail : JSON.stringify(detail));
    process.exit(1);
  }
}

async function call(method, path, body, cookie) {
  const headers = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = `wallet_session=${cookie}`;
  const res = await fetch(GATEHOUSE + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual',
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('wallet_session=')) || '';
  const session = setCookie.split(';')[0].slice('wallet_session='.length);
  return { status: res.status, json, text, setCookie, session, location: res.headers.get('location') };
}

const login = (type, data) => call('POST', '/login', { type, data });
const pkce = () => {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
};

// The browser: follows redirects by hand, keeping the provider's cookies, until it is
// sent to Gatehouse's callback.
async function browse(url) {
  const jar = new Map();
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(GATEHOUSE)) return url;
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const next = res.headers.get('location');
    expect(next, `a redirect from ${url}`, `${res.status} ${await res.text()}`);
    url = new URL(next, url).toString();
  }
  throw new Error('too many redirects');
}

async function oauthFlow(provider, hint) {
  const { verifier, challenge } = pkce();
  const state = crypto.randomBytes(12).toString('hex');
  const init = await call('POST', '/oauth/init', { provider, redirect_uri: APP_REDIRECT, state, code_challenge: challenge });
  expect(init.status === 200 && init.json.client_id === 'gatehouse', '/oauth/init answers {client_id, url}', init.text);
  const authorize = new URL(init.json.url);
  expect(authorize.searchParams.get('code_challenge_method') === 'S256', 'S256 in the authorize URL');
  authorize.searchParams.set('login_hint', hint);
  const callback = await browse(authorize.toString());
  const back = await fetch(callback, { redirect: 'manual' });
  expect(back.status === 302, 'the callback redirects', `${back.status} ${await back.text()}`);
  const app = new URL(back.headers.get('location'));
  expect(app.origin + app.pathname === APP_REDIRECT, 'back to the allow-listed redirect_uri', app.toString());
  expect(app.searchParams.get('wallet_oauth_provider') === provider, 'wallet_oauth_provider');
  expect(app.searchParams.get('wallet_oauth_state') === state, 'wallet_oauth_state');
  return { state, verifier, code: app.searchParams.get('wallet_oauth_code') };
}

function mailCode(to) {
  for (let i = 0; i < 150; i++) {
    const out = execFileSync('/usr/bin/python3', ['-c', `
import email, glob, re, sys
for path in sorted(glob.glob(sys.argv[1] + "/*.eml"), reverse=True):
    m = email.message_from_binary_file(open(path, "rb"))
    if m.get("X-Envelope-To", "").strip() == sys.argv[2]:
        text = m.get_payload(decode=True).decode()
        print(re.search(r"\\b(\\d{6})\\b", text).group(1)); break
`, MAILDIR, to]).toString().trim();
    if (out) return out;
    execFileSync('sleep', ['0.1']);
  }
  throw new Error(`no mail to ${to}`);
}

async function smsCode(to) {
  for (let i = 0; i < 150; i++) {
    const list = await (await fetch(`${IDP}/sms`)).json();
    const hit = list.filter((m) => m.to === to).pop();
    if (hit) return hit.text.match(/\b(\d{6})\b/)[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS to ${to}`);
}

function checkUser(user, label) {
  expect(/^[0-9a-f-]{36}$/.test(user.id), `${label}: a uuid id`, user);
  const kinds = user.wallets.map((w) => `${w.network}/${w.wallet_type}`);
  expect(kinds.includes('Solana/Embedded') && kinds.includes('Ethereum/Embedded'), `${label}: embedded wallets`, user);
  const eth = user.wallets.find((w) => w.network === 'Ethereum' && w.wallet_type === 'Embedded');
  expect(getAddress(eth.address) === eth.address, `${label}: an EIP-55 address`, eth.address);
}

async function solanaLogin(type, keys, method, sigEncoding = 'base58') {
  const address = encodeBase58(keys.publicKey);
  const ch = await call('GET', `/challenge?method=${method}&id=${address}`);
  expect(ch.status === 200, '/challenge answers', ch.text);
  const sig = nacl.sign.detached(new TextEncoder().encode(ch.json.challenge), keys.secretKey);
  const signature = sigEncoding === 'base58' ? encodeBase58(sig) : Buffer.from(sig).toString('base64');
  return { ch, proof: { wallet_address: address, challenge: ch.json.challenge, signature } };
}

const scenarios = {
  async oauth() {
    const provider = process.argv[3];
    const type = process.argv[4];
    const flow = await oauthFlow(provider, 'alice');
    const wrong = await login(type, { state: flow.state, code: flow.code, code_verifier: pkce().verifier });
    expect(wrong.status === 401, 'a wrong code_verifier is refused with 401', wrong.text);
    const again = await login(type, { state: flow.state, code: flow.code, code_verifier: flow.verifier });
    expect(again.status === 400 && again.json.error === 'Invalid state', 'the state was single-use', again.text);

    const good = await oauthFlow(provider, 'alice');
    const res = await login(type, { state: good.state, code: good.code, code_verifier: good.verifier });
    expect(res.status === 200, `${type} login succeeds`, res.text);
    checkUser(res.json, type);
    expect(JSON.stringify(res.json.social_links).includes('alice@idp.test'), 'social link from the ID token', res.json);
    expect(/HttpOnly/.test(res.setCookie) && /SameSite=Lax/.test(res.setCookie), 'session cookie flags', res.setCookie);
    const session = await call('GET', '/session', undefined, res.session);
    expect(JSON.stringify(session.json) === JSON.stringify(res.json), 'GET /session returns the user', session.text);
    const replay = await login(type, { state: good.state, code: good.code, code_verifier: good.verifier });
    expect(replay.status === 400, 'a used state is refused', replay.text);
  },
  async redirectGuard() {
    const { challenge } = pkce();
    for (const uri of ['https://evil.example/cb', `${APP_REDIRECT}/../../evil`, 'http://127.0.0.1.evil.example/callback']) {
      const r = await call('POST', '/oauth/init', { provider: 'google', redirect_uri: uri, state: crypto.randomBytes(8).toString('hex'), code_challenge: challenge });
      expect(r.status === 400, `redirect_uri ${uri} refused`, r.text);
    }
    const state = crypto.randomBytes(8).toString('hex');
    const ok = await call('POST', '/oauth/init', { provider: 'google', redirect_uri: APP_REDIRECT, state, code_challenge: challenge });
    const dup = await call('POST', '/oauth/init', { provider: 'google', redirect_uri: APP_REDIRECT, state, code_challenge: challenge });
    expect(ok.status === 200 && dup.status === 400, 'duplicate state refused', dup.text);
    const cb = await call('GET', '/oauth/callback?state=unknown&code=x');
    expect(cb.status === 400, 'unknown state at the callback', cb.text);
  },
  async phantom() {
    const keys = nacl.sign.keyPair();
    const { ch, proof } = await solanaLogin('Phantom', keys, 'phantom');
    expect(ch.json.challenge.includes('wants you to sign in with your Solana account:'), 'SIWS message', ch.json.challenge);
    const forged = await login('Phantom', { ...proof, signature: encodeBase58(nacl.sign.detached(new TextEncoder().encode(proof.challenge), nacl.sign.keyPair().secretKey)) });
    expect(forged.status === 401, 'another key is refused', forged.text);
    const res = await login('Phantom', proof);
    expect(res.status === 200, 'Phantom login', res.text);
    checkUser(res.json, 'Phantom');
    expect(res.json.wallets.some((w) => w.wallet_type === 'Phantom' && w.address === proof.wallet_address), 'external wallet linked', res.json);
    const replay = await login('Phantom', proof);
    expect(replay.status === 401, 'replayed nonce refused', replay.text);
    const okx = await solanaLogin('Okx', keys, 'okx', 'base64');
    const res2 = await login('Okx', okx.proof);
    expect(res2.status === 200 && res2.json.id === res.json.id, 'OKX (base64 signature) reaches the same user', res2.text);
  },
  async metamask() {
    const wallet = Wallet.createRandom();
    const ch = await call('GET', `/challenge?method=metamask&id=${wallet.address.toLowerCase()}`);
    expect(ch.status === 200, '/challenge answers', ch.text);
    const text = ch.json.challenge;
    for (const line of [`${wallet.address}\n`, '\nVersion: 1\n', '\nChain ID: 1\n', `\nNonce: ${ch.json.nonce}\n`, 'Issued At: ', 'Expiration Time: ', 'URI: ']) {
      expect(text.includes(line), `SIWE line ${JSON.stringify(line)}`, text);
    }
    const forged = await login('Metamask', { wallet_address: wallet.address, challenge: text, signature: await Wallet.createRandom().signMessage(text) });
    expect(forged.status === 401, 'another key is refused', forged.text);
    const res = await login('Metamask', { wallet_address: wallet.address, challenge: text, signature: await wallet.signMessage(text) });
    expect(res.status === 200, 'Metamask login', res.text);
    expect(res.json.wallets.some((w) => w.wallet_type === 'Metamask' && w.address === wallet.address), 'external wallet linked', res.json);
    const replay = await login('Metamask', { wallet_address: wallet.address, challenge: text, signature: await wallet.signMessage(text) });
    expect(replay.status === 401, 'replayed nonce refused', replay.text);
    const rabby = await call('GET', `/challenge?method=rabby&id=${wallet.address}`);
    const res2 = await login('Rabby', { wallet_address: wallet.address, challenge: rabby.json.challenge, signature: await wallet.signMessage(rabby.json.challenge) });
    expect(res2.status === 200 && res2.json.id === res.json.id, 'Rabby reaches the same user', res2.text);
  },
  async email() {
    const to = `e2e-${crypto.randomBytes(4).toString('hex')}@example.com`;
    const sent = await call('POST', '/send_verification', { email: to });
    expect(sent.status === 200 && sent.json === 'Verification code sent', 'code sent', sent.text);
    const again = await call('POST', '/send_verification', { email: to });
    expect(again.status === 400 && again.json.error === 'rate limited', 'cooldown', again.text);
    const code = mailCode(to);
    const wrong = await login('Email', { email: to, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status === 400, 'wrong code refused', wrong.text);
    const res = await login('Email', { email: to, code });
    expect(res.status === 200, 'Email login', res.text);
    expect(JSON.stringify(res.json.social_links) === JSON.stringify([{ Email: to }]), 'social_links', res.json);
    const reuse = await login('Email', { email: to, code });
    expect(reuse.status === 400, 'a code works once', reuse.text);
  },
  async phone() {
    const to = `+861${crypto.randomInt(1e9, 1e10 - 1)}`;
    const sent = await call('POST', '/send_verification', { phone: to });
    expect(sent.status === 200, 'SMS code sent', sent.text);
    const res = await login('Phone', { phone: to, code: await smsCode(to) });
    expect(res.status === 200 && res.json.social_links[0].Phone === to, 'Phone login', res.text);
  },
  async telegram() {
    const now = Math.floor(Date.now() / 1000);
    const fields = { id: 5550001, first_name: 'Tele', username: 'tele_e2e', auth_date: now };
    const dcs = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
    const secret = crypto.createHash('sha256').update(BOT_TOKEN).digest();
    const hash = crypto.createHmac('sha256', secret).update(dcs).digest('hex');
    const res = await login('Telegram', { ...fields, hash });
    expect(res.status === 200 && res.json.social_links[0].Telegram === 'tele_e2e', 'Telegram login', res.text);
    const tampered = await login('Telegram', { ...fields, id: 5550002, hash });
    expect(tampered.status === 401, 'tampered data refused', tampered.text);
  },
  async apple() {
    const mint = async (params) => (await (await fetch(`${IDP}/apple/mint?${new URLSearchParams(params)}`)).json()).token;
    for (const alg of ['RS256', 'ES256']) {
      const token = await mint({ sub: `apple-${alg}`, aud: 'com.gatehouse.e2e', alg });
      const res = await login('Apple', { id: `apple-${alg}`, identity_token: token });
      expect(res.status === 200, `Apple ${alg} login`, res.text);
    }
    const wrongAud = await login('Apple', { id: 'x', identity_token: await mint({ sub: 'x', aud: 'com.other' }) });
    expect(wrongAud.status === 401, 'wrong aud refused', wrongAud.text);
    const expired = await login('Apple', { id: 'x', identity_token: await mint({ sub: 'x', aud: 'com.gatehouse.e2e', exp_in: -600 }) });
    expect(expired.status === 401, 'expired token refused', expired.text);
    const [, payload] = (await mint({ sub: 'x', aud: 'com.gatehouse.e2e' })).split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const algNone = await login('Apple', { id: 'x', identity_token: none });
    expect(algNone.status === 401, 'alg none refused', algNone.text);
  },
  async bind() {
    const a = await solanaLogin('Phantom', nacl.sign.keyPair(), 'phantom');
    const first = await login('Phantom', a.proof);
    expect(first.status === 200, 'first user', first.text);
    const wallet = Wallet.createRandom();
    const ch = await call('GET', `/challenge?method=coinbase&id=${wallet.address}`);
    const proof = { wallet_address: wallet.address, challenge: ch.json.challenge, signature: await wallet.signMessage(ch.json.challenge) };
    const noSession = await call('POST', '/bind', { type: 'Coinbase', data: proof });
    expect(noSession.status === 401, 'bind needs a session', noSession.text);
    const bound = await call('POST', '/bind', { type: 'Coinbase', data: proof }, first.session);
    expect(bound.status === 200 && bound.json.wallets.some((w) => w.wallet_type === 'Coinbase'), 'Coinbase bound', bound.text);
    const other = await login('Phantom', (await solanaLogin('Phantom', nacl.sign.keyPair(), 'phantom')).proof);
    const ch2 = await call('GET', `/challenge?method=coinbase&id=${wallet.address}`);
    const steal = await call('POST', '/bind', { type: 'Coinbase', data: { wallet_address: wallet.address, challenge: ch2.json.challenge, signature: await wallet.signMessage(ch2.json.challenge) } }, other.session);
    expect(steal.status === 409, "binding another user's wallet is a 409", steal.text);
    const out = await call('POST', '/logout', undefined, first.session);
    expect(out.status === 200 && out.json === 'Logged out successfully', 'logout', out.text);
    const after = await call('GET', '/session', undefined, first.session);
    expect(after.status === 401, 'session gone after logout', after.text);
  },
};

const run = scenarios[scenario];
if (!run) {
  console.error(`unknown scenario ${scenario}`);
  process.exit(2);
}
await run();
