// SPDX-License-Identifier: GPL-3.0-or-later
// The `alg` downgrade: a genuine ID token from the provider, then forgeries of it —
// alg "none"; HS256 keyed with the provider's own RSA public key (the classic
// key-confusion attack); the payload altered under the original signature; RS256 from
// a key that is not the provider's under the provider's kid. Each must be refused by
// the RP libraries (oauth4webapi, openid-client, jose) working from our discovery and
// JWKS: proof that nothing we publish lets such a token through.
import crypto from 'node:crypto';
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { check, expect, expectEq, rejects } from './harness.mjs';
import { authorize as authorizePublic, insecure } from './rp_oauth4webapi.mjs';
import { authorize, callbackRequest, configure, decode } from './rp_openidclient.mjs';

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function forgeries(idToken, jwks) {
  const [header, payload] = decode(idToken);
  const [h, p, s] = idToken.split('.');
  const rsa = jwks.keys.find((k) => k.kty === 'RSA');
  const pem = crypto.createPublicKey({ key: rsa, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const hsHeader = b64({ alg: 'HS256', typ: 'JWT', kid: rsa.kid });
  const hs = `${hsHeader}.${p}`;
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const rsHeader = b64({ alg: 'RS256', typ: 'JWT', kid: header.kid });
  const foreign = `${rsHeader}.${p}`;
  return {
    pem,
    none: `${b64({ ...header, alg: 'none' })}.${p}.`,
    hs256: `${hs}.${crypto.createHmac('sha256', pem).update(hs).digest('base64url')}`,
    altered: `${h}.${b64({ ...payload, sub: 'someone-else' })}.${s}`,
    foreign: `${foreign}.${crypto.sign('sha256', Buffer.from(foreign), other).toString('base64url')}`,
  };
}

const asResponse = (body) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

export async function downgradeSuite(ctx) {
  const as = ctx.publicAs;
  const cl = { client_id: ctx.pub.id };
  const a = await authorizePublic(ctx, as, cl.client_id, { scope: 'openid' });
  const params = oauth.validateAuthResponse(as, cl, new URL(a.hit.url), a.state);
  const raw = await (await oauth.authorizationCodeGrantRequest(as, cl, oauth.None(), params, `${ctx.cb}/cb`,
    a.verifier, insecure)).json();
  const jwks = createRemoteJWKSet(new URL(ctx.meta.jwks_uri));
  const verify = (token) => jwtVerify(token, jwks, { issuer: ctx.issuer, audience: cl.client_id });
  // oauth4webapi's whole check: the response's claims and alg, then the signature.
  const oauth4 = async (token) => {
    const response = asResponse({ ...raw, id_token: token });
    await oauth.processAuthorizationCodeResponse(as, cl, response, { expectedNonce: a.nonce });
    await oauth.validateApplicationLevelSignature(as, response, insecure);
  };
  const forged = forgeries(raw.id_token, ctx.jwks);

  await check('control: the genuine ID token passes oauth4webapi and jose', async () => {
    await oauth4(raw.id_token);
    expectEq((await verify(raw.id_token)).payload.nonce, a.nonce, 'nonce');
  });
  await check('control: the HS256 forgery is well formed (a verifier trusting its alg and the public key accepts it)', async () => {
    const { payload } = await jwtVerify(forged.hs256, new TextEncoder().encode(forged.pem), { algorithms: ['HS256'] });
    expectEq(payload.sub, ctx.user.id, 'sub');
  });
  for (const [name, what] of [['none', 'alg none'], ['hs256', 'HS256 keyed with our RSA public key'],
                              ['altered', 'the payload altered (sub) under the original signature'],
                              ['foreign', 'RS256 signed by another key under our kid']]) {
    await check(`${what}: refused by oauth4webapi`, async () => { await rejects(oauth4(forged[name]), name); });
    await check(`${what}: refused by jose against our JWKS`, async () => { await rejects(verify(forged[name]), name); });
  }
  const config = await configure(ctx, 'post', client.ClientSecretPost);
  let swapped = false;
  config[client.customFetch] = async (url, options) => { // the token response, with the forgery in it
    const res = await fetch(url, options);
    if (String(url) !== ctx.meta.token_endpoint) return res;
    const body = await res.json();
    swapped = Boolean(body.id_token);
    const [h, p] = body.id_token.split('.');
    const hs = `${b64({ ...decode(body.id_token)[0], alg: 'HS256' })}.${p}`;
    expect(h, 'a header');
    return asResponse({ ...body, id_token: `${hs}.${crypto.createHmac('sha256', forged.pem).update(hs).digest('base64url')}` });
  };
  const c = await authorize(ctx, config, { scope: 'openid' });
  await check('HS256 forgery inside a real token response: openid-client refuses the grant', async () => {
    await rejects(client.authorizationCodeGrant(config, callbackRequest(c.hit),
      { pkceCodeVerifier: c.verifier, expectedState: c.state, expectedNonce: c.nonce }), 'the forged token response');
    expect(swapped, 'the real token response to have been intercepted');
  });
}
