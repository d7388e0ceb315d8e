// SPDX-License-Identifier: GPL-3.0-or-later
// oauth4webapi as the relying party with a PUBLIC client (token_endpoint_auth_method
// none, PKCE only): a fresh browser session, validateAuthResponse (state, iss), the code
// grant (nonce, iss, aud, alg checked; the signature verified against jwks_uri with
// validateApplicationLevelSignature), userinfo, refresh rotation and reuse, revocation.
import * as oauth from 'oauth4webapi';
import { authorizeInBrowser, check, describe, expect, expectEq, rejects } from './harness.mjs';

export const insecure = { [oauth.allowInsecureRequests]: true };

export async function discover(ctx) {
  const issuer = new URL(ctx.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
}

// A browser authorization for `client_id`; returns the callback and the PKCE/state/nonce.
export async function authorize(ctx, as, clientId, params = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  const all = { client_id: clientId, redirect_uri: `${ctx.cb}/cb`, response_type: 'code', scope: 'openid',
                code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
                state, nonce, ...params };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  const hit = await authorizeInBrowser(ctx.browser, ctx.callbacks, url, ctx.user);
  return { verifier, state, nonce, hit };
}

async function refresh(as, cl, token) {
  return oauth.processRefreshTokenResponse(as, cl,
    await oauth.refreshTokenGrantRequest(as, cl, oauth.None(), token, insecure));
}

async function userinfo(as, cl, token, sub) {
  return oauth.processUserInfoResponse(as, cl, sub, await oauth.userInfoRequest(as, cl, token, insecure));
}

export async function publicSuite(ctx) {
  const { user } = ctx;
  const as = await discover(ctx);
  const cl = { client_id: ctx.pub.id };
  const redirect = `${ctx.cb}/cb`;
  await ctx.browser.context.clearCookies(); // a new browser session: sign in again
  const a = await authorize(ctx, as, cl.client_id, { scope: 'openid profile offline_access', prompt: 'consent' });
  await check('fresh browser: the sign-in page and the consent page again', async () => {
    expectEq([a.hit.seen.signin, a.hit.seen.consent], [1, 1], 'sign-in and consent pages shown');
  });
  const params = oauth.validateAuthResponse(as, cl, new URL(a.hit.url), a.state);
  const response = await oauth.authorizationCodeGrantRequest(as, cl, oauth.None(), params, redirect, a.verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, cl, response,
    { expectedNonce: a.nonce, requireIdToken: true });
  await check('token (public client, PKCE only): the ID token passes nonce, iss, aud, alg checks', async () => {
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    expectEq([claims.iss, claims.aud, claims.sub, claims.nonce], [ctx.issuer, cl.client_id, user.id, a.nonce], 'claims');
    expect(tokens.refresh_token, 'a refresh token (offline_access)', tokens);
  });
  await check('…and its signature verifies against jwks_uri (validateApplicationLevelSignature)', async () => {
    await oauth.validateApplicationLevelSignature(as, response, insecure);
  });
  await check('userinfo (openid profile): name and preferred_username, no email', async () => {
    const info = await userinfo(as, cl, tokens.access_token, user.id);
    expectEq([info.name, info.preferred_username, info.email, info.email_verified],
      [user.name, user.username, undefined, undefined], 'claims');
  });
  const second = await refresh(as, cl, tokens.refresh_token);
  await check('refresh (public client): rotated', async () => {
    expect(second.refresh_token && second.refresh_token !== tokens.refresh_token, 'a new refresh token', second);
    expectEq((await userinfo(as, cl, second.access_token, user.id)).sub, user.id, 'userinfo sub');
  });
  await check('refresh reuse (public client): invalid_grant, then the new access token is refused', async () => {
    const e = await rejects(refresh(as, cl, tokens.refresh_token), 'the rotated-out refresh token');
    expectEq(e.error, 'invalid_grant', describe(e));
    const res = await oauth.userInfoRequest(as, cl, second.access_token, insecure);
    expectEq(res.status, 401, 'userinfo status');
  });
  await check('introspection needs a client secret: a public client gets 401 invalid_client', async () => {
    const res = await oauth.introspectionRequest(as, cl, oauth.None(), second.access_token, insecure);
    const e = await rejects(oauth.processIntrospectionResponse(as, cl, res), 'introspection');
    expectEq([res.status, e.error], [401, 'invalid_client'], describe(e));
  });
  const b = await authorize(ctx, as, cl.client_id, { scope: 'openid offline_access', prompt: 'consent' });
  const fresh = await oauth.processAuthorizationCodeResponse(as, cl,
    await oauth.authorizationCodeGrantRequest(as, cl, oauth.None(),
      oauth.validateAuthResponse(as, cl, new URL(b.hit.url), b.state), redirect, b.verifier, insecure),
    { expectedNonce: b.nonce });
  await check('revocation by the public client of its refresh token: then refresh is invalid_grant', async () => {
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, cl, oauth.None(), fresh.refresh_token, insecure));
    const e = await rejects(refresh(as, cl, fresh.refresh_token), 'the revoked refresh token');
    expectEq(e.error, 'invalid_grant', describe(e));
  });
}
