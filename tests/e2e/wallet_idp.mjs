// SPDX-License-Identifier: GPL-3.0-or-later
// The identity providers the wallet end-to-end test talks to, on one loopback port:
//  - a real OpenID Connect provider (npm `oidc-provider`): discovery, /auth, /token,
//    /me, /jwks, client `gatehouse` (client_secret_basic, PKCE S256 required). Its
//    login and consent screens are replaced by an interaction that signs in the
//    account named by `login_hint` (default "alice") and grants openid email profile,
//    so a script can walk the browser redirects with fetch;
//  - a stand-in for Apple: /apple/keys (RS256 + ES256 JWKS made with node:crypto) and
//    /apple/mint?sub&aud&iss&alg&exp_in, which signs an identity token with them;
//  - an SMS gateway webhook: POST /sms stores {to, text}; GET /sms lists them.
// usage: node wallet_idp.mjs PORT GATEHOUSE_CALLBACK_URL   (prints "ready" when listening)
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const [port, callback] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'gatehouse',
    client_secret: 'gatehouse-e2e-secret',
    redirect_uris: [callback],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['wallet-e2e-cookie-key'] },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@idp.test`, email_verified: true, name: id }),
  }),
});
provider.proxy = false;

// The person at the browser: whoever login_hint names, consenting to everything asked.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    result = { login: { accountId: params.login_hint || 'alice' } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    result = { consent: { grantId: await grant.save() } };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: true,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
});

const apple = {
  rsa: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ec: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
};
const jwk = (pair, kid, alg) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' });
const b64url = (data) => Buffer.from(data).toString('base64url');

function mint(query) {
  const alg = query.get('alg') || 'RS256';
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, kid: alg === 'RS256' ? 'apple-rsa' : 'apple-ec' };
  const claims = {
    iss: query.get('iss') || 'https://appleid.apple.com',
    aud: query.get('aud'),
    sub: query.get('sub'),
    iat: now,
    exp: now + Number(query.get('exp_in') || 600),
    email: `${query.get('sub')}@privaterelay.appleid.com`,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const key = alg === 'RS256' ? apple.rsa.privateKey : apple.ec.privateKey;
  const signature = crypto.sign('sha256', Buffer.from(input),
    alg === 'RS256' ? key : { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

const sms = [];
const oidc = provider.callback();
http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  const json = (status, value) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  if (url.pathname === '/sms' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => { sms.push(JSON.parse(body)); json(200, { ok: true }); });
    return;
  }
  if (url.pathname === '/sms') return json(200, sms);
  if (url.pathname === '/apple/keys') {
    return json(200, { keys: [jwk(apple.rsa, 'apple-rsa', 'RS256'), jwk(apple.ec, 'apple-ec', 'ES256')] });
  }
  if (url.pathname === '/apple/mint') return json(200, { token: mint(url.searchParams) });
  return oidc(req, res);
}).listen(Number(port), '127.0.0.1', () => console.log('ready'));
