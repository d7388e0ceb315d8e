// SPDX-License-Identifier: GPL-3.0-or-later
// openid-client (v6) as the relying party: a confidential client with
// client_secret_basic (consent page, response_mode=query, refresh rotation and reuse)
// and a first-party one with client_secret_post (form_post, ES256, fewer scopes,
// revocation). ID tokens are also checked with jose against the published JWKS.
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { authorizeInBrowser, check, describe, expect, expectEq, rejects } from './harness.mjs';

export const decode = (jwt) => jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));

export async function configure(ctx, who, auth) {
  const c = ctx[who];
  return client.discovery(new URL(ctx.issuer), c.id, c.secret, auth(c.secret),
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] });
}

// A full authorization through the browser; returns what the grant needs.
export async function authorize(ctx, config, params, callbackPath = '/cb') {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: ctx.cb + callbackPath, code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256', state, nonce, ...params,
  });
  const hit = await authorizeInBrowser(ctx.browser, ctx.callbacks, url, ctx.user, callbackPath);
  return { verifier, state, nonce, hit, url };
}

// The callback as the RP's web framework would hand it to openid-client.
export function callbackRequest(hit) {
  if (hit.method === 'GET') return new URL(hit.url);
  return new Request(hit.url, { method: 'POST', body: hit.params.toString(),
                                headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

export async function userinfoStatus(ctx, accessToken) {
  const res = await fetch(ctx.meta.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, challenge: res.headers.get('www-authenticate') || '', body: await res.text() };
}

export async function basicSuite(ctx) {
  const { user, issuer } = ctx;
  const config = await configure(ctx, 'basic', client.ClientSecretBasic);
  const a = await authorize(ctx, config, { scope: 'openid profile email offline_access', prompt: 'consent' });
  await check('the browser signed in on the sign-in page and consented on the consent page', async () => {
    expectEq(a.hit.seen.signin, 1, 'sign-in pages');
    expectEq(a.hit.seen.consent, 1, 'consent pages');
  });
  await check('callback (query): code, state echoed, iss = issuer (RFC 9207)', async () => {
    expectEq(a.hit.method, 'GET', 'method');
    expect(a.hit.params.get('code'), 'a code', a.hit.url);
    expectEq(a.hit.params.get('state'), a.state, 'state');
    expectEq(a.hit.params.get('iss'), issuer, 'iss');
  });
  const tokens = await client.authorizationCodeGrant(config, callbackRequest(a.hit),
    { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce, idTokenExpected: true });
  ctx.basicConfig = config;
  await check('token (client_secret_basic): Bearer access token, refresh token, expires_in <= 600', async () => {
    expectEq(tokens.token_type.toLowerCase(), 'bearer', 'token_type');
    expect(tokens.access_token && tokens.refresh_token && tokens.id_token, 'three tokens', tokens);
    expect(tokens.expires_in > 0 && tokens.expires_in <= 600, 'expires_in in (0, 600]', tokens.expires_in);
  });
  const claims = tokens.claims();
  await check('ID token (openid-client verified signature, iss, aud, nonce): the claims', async () => {
    const [header] = decode(tokens.id_token);
    expectEq(header.alg, 'RS256', 'alg');
    expect(ctx.jwks.keys.some((k) => k.kid === header.kid), 'its kid in the JWKS', header);
    expectEq([claims.iss, claims.sub, claims.aud, claims.nonce], [issuer, user.id, ctx.basic.id, a.nonce], 'iss sub aud nonce');
    expect(Array.isArray(claims.amr) && claims.amr.includes('pwd'), 'amr with pwd', claims.amr);
    const now = Date.now() / 1000;
    expect(Number.isInteger(claims.auth_time) && claims.auth_time <= now + 5 && claims.auth_time > now - 120,
      'auth_time in seconds, just now', claims.auth_time);
    expect(claims.exp > now && claims.exp - claims.iat <= 600, 'exp within 10 min of iat', claims);
  });
  await check('ID token: jose jwtVerify against createRemoteJWKSet(jwks_uri)', async () => {
    const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(ctx.meta.jwks_uri)),
      { issuer, audience: ctx.basic.id, algorithms: ['RS256', 'ES256'] });
    expectEq(payload.sub, user.id, 'sub');
  });
  await check('userinfo (openid profile email): sub, name, preferred_username, email, email_verified', async () => {
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expectEq([info.sub, info.name, info.preferred_username, info.email, info.email_verified],
      [user.id, user.name, user.username, user.email, user.emailVerified], 'claims');
  });
  await check('introspection of the access token: active, client_id, sub, scope', async () => {
    const r = await client.tokenIntrospection(config, tokens.access_token);
    expectEq([r.active, r.client_id, r.sub], [true, ctx.basic.id, user.id], 'active client_id sub');
    expect(r.scope.split(' ').includes('openid'), 'scope with openid', r.scope);
    expect(r.exp > Date.now() / 1000, 'a future exp', r.exp);
  });
  await check('introspection of the refresh token: active', async () => {
    expectEq((await client.tokenIntrospection(config, tokens.refresh_token)).active, true, 'active');
  });
  const second = await client.refreshTokenGrant(config, tokens.refresh_token);
  await check('refresh: rotated (new refresh and access token), the new access token works', async () => {
    expect(second.refresh_token && second.refresh_token !== tokens.refresh_token, 'a new refresh token', second);
    expect(second.access_token !== tokens.access_token, 'a new access token');
    expectEq((await client.fetchUserInfo(config, second.access_token, user.id)).sub, user.id, 'sub');
    if (second.id_token) expectEq(second.claims().sub, user.id, 'the refreshed ID token sub');
  });
  await check('refresh reuse: the rotated-out refresh token is refused (invalid_grant)', async () => {
    const e = await rejects(client.refreshTokenGrant(config, tokens.refresh_token), 'the old refresh token');
    expectEq(e.error, 'invalid_grant', describe(e));
  });
  await check('…and the whole family is revoked: userinfo 401 with the new access token', async () => {
    const r = await userinfoStatus(ctx, second.access_token);
    expectEq(r.status, 401, 'status');
    expect(/^Bearer/i.test(r.challenge), 'a Bearer challenge', r.challenge);
  });
  await check('…introspection says active:false for the new access and refresh tokens', async () => {
    expectEq((await client.tokenIntrospection(config, second.access_token)).active, false, 'access');
    expectEq((await client.tokenIntrospection(config, second.refresh_token)).active, false, 'refresh');
  });
  await check('…the new refresh token is refused too (invalid_grant)', async () => {
    const e = await rejects(client.refreshTokenGrant(config, second.refresh_token), 'the new refresh token');
    expectEq(e.error, 'invalid_grant', describe(e));
  });
}

export async function postSuite(ctx) {
  const { user, issuer } = ctx;
  const config = await configure(ctx, 'post', client.ClientSecretPost);
  ctx.postConfig = config;
  const a = await authorize(ctx, config, { scope: 'openid email', response_mode: 'form_post' });
  await check('second client, same browser: no sign-in (provider session), no consent (first party)', async () => {
    expectEq([a.hit.seen.signin, a.hit.seen.consent], [0, 0], 'sign-in and consent pages shown');
  });
  await check('callback (form_post): a POSTed form with code, state and iss', async () => {
    expectEq(a.hit.method, 'POST', 'method');
    expect(a.hit.contentType.startsWith('application/x-www-form-urlencoded'), 'a urlencoded form', a.hit.contentType);
    expect(!a.hit.url.includes('code='), 'no code in the URL', a.hit.url);
    expectEq([a.hit.params.get('state'), a.hit.params.get('iss')], [a.state, issuer], 'state iss');
  });
  const tokens = await client.authorizationCodeGrant(config, callbackRequest(a.hit),
    { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce, idTokenExpected: true });
  ctx.postIdToken = tokens.id_token;
  await check('token (client_secret_post): ES256 ID token for this client, verified with jose', async () => {
    expectEq(decode(tokens.id_token)[0].alg, 'ES256', 'alg');
    const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(ctx.meta.jwks_uri)),
      { issuer, audience: ctx.post.id, algorithms: ['ES256'] });
    expectEq(payload.nonce, a.nonce, 'nonce');
  });
  await check('scope openid email: no refresh token (no offline_access), no profile claims', async () => {
    expectEq(tokens.refresh_token, undefined, 'refresh_token');
    const claims = tokens.claims();
    expectEq([claims.name, claims.preferred_username], [undefined, undefined], 'ID token name, preferred_username');
    const info = await client.fetchUserInfo(config, tokens.access_token, user.id);
    expectEq(Object.keys(info).sort(), ['email', 'email_verified', 'sub'], 'userinfo members');
  });
  const b = await authorize(ctx, config, { scope: 'openid' });
  const only = await client.authorizationCodeGrant(config, callbackRequest(b.hit),
    { pkceCodeVerifier: b.verifier, expectedState: b.state, expectedNonce: b.nonce });
  await check('scope openid alone: userinfo is sub only', async () => {
    expectEq(await client.fetchUserInfo(config, only.access_token, user.id), { sub: user.id }, 'userinfo');
  });
  await check('revocation (RFC 7009) of an access token: 200, then userinfo 401 and active:false', async () => {
    await client.tokenRevocation(config, only.access_token);
    expectEq((await userinfoStatus(ctx, only.access_token)).status, 401, 'userinfo status');
    expectEq((await client.tokenIntrospection(config, only.access_token)).active, false, 'active');
  });
  await check('revoking an unknown token is 200 as well (RFC 7009 2.2)', async () => {
    await client.tokenRevocation(config, 'not-a-token-we-issued');
  });
  await check('introspection with a wrong client secret: 401 invalid_client', async () => {
    const wrong = await client.discovery(new URL(issuer), ctx.post.id, 'wrong-secret', client.ClientSecretPost('wrong-secret'),
      { execute: [client.allowInsecureRequests] });
    const e = await rejects(client.tokenIntrospection(wrong, tokens.access_token), 'introspection');
    expectEq([e.status, e.error], [401, 'invalid_client'], describe(e));
  });
}
