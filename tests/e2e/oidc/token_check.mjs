// SPDX-License-Identifier: GPL-3.0-or-later
// An independent relying party (oauth4webapi, strict about the specs) redeems a code at
// the real binary's token endpoint and uses what it gets: the ID token's claims are
// validated by processAuthorizationCodeResponse (iss, aud, azp, exp, iat, nonce, sub),
// userinfo by processUserInfoResponse (sub must match), a refresh is rotated and the old
// refresh token replayed (the family must be revoked), then introspection and revocation.
// The code comes from tests/e2e/oidctoken_e2e.sh, which writes the rows the flow would.
// Usage: node token_check.mjs BASE ISSUER CLIENT_ID SECRET CODE VERIFIER REDIRECT NONCE
import * as oauth from 'oauth4webapi';
import * as jose from 'jose';

const [base, issuer, clientId, secret, code, verifier, redirect, nonce] = process.argv.slice(2);
const insecure = { [oauth.allowInsecureRequests]: true };
const as = {
  issuer,
  token_endpoint: `${base}/oauth2/token`,
  userinfo_endpoint: `${base}/oauth2/userinfo`,
  introspection_endpoint: `${base}/oauth2/introspect`,
  revocation_endpoint: `${base}/oauth2/revoke`,
  authorization_response_iss_parameter_supported: true,
};
const client = { client_id: clientId };
const auth = oauth.ClientSecretBasic(secret);
let failures = 0;
function check(name, ok, detail = '') {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failures++;
}
async function refused(name, promise, error) {
  try {
    await promise;
    check(name, false, 'was accepted');
  } catch (e) {
    check(name, e instanceof oauth.ResponseBodyError && e.error === error, String(e));
  }
}

// The redirect as the browser would bring it back (RFC 9207 iss included).
const callback = new URL(redirect);
callback.searchParams.set('code', code);
callback.searchParams.set('iss', issuer);
const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);

const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirect,
                                                           verifier, insecure);
check('token response: Cache-Control no-store', response.headers.get('cache-control') === 'no-store');
const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
  expectedNonce: nonce, requireIdToken: true,
});
const claims = oauth.getValidatedIdTokenClaims(tokens);
check('ID token claims validated, sub present', typeof claims.sub === 'string' && claims.sub.length > 0);
check('ID token auth_time, amr, sid', Number.isInteger(claims.auth_time) &&
      Array.isArray(claims.amr) && typeof claims.sid === 'string');
check('token_type bearer, refresh token with offline_access',
      tokens.token_type === 'bearer' && typeof tokens.refresh_token === 'string');

// The signature, when the keys part serves the JWKS (it is a separate route group).
const jwksResponse = await fetch(`${base}/.well-known/jwks.json`);
if (jwksResponse.ok) {
  const jwks = jose.createLocalJWKSet(await jwksResponse.json());
  const { payload } = await jose.jwtVerify(tokens.id_token, jwks, { issuer, audience: clientId });
  check('ID token signature verifies against the JWKS', payload.sub === claims.sub);
} else {
  console.log('  skip ID token signature: no /.well-known/jwks.json yet');
}

const info = await oauth.processUserInfoResponse(as, client, claims.sub,
  await oauth.userInfoRequest(as, client, tokens.access_token, insecure));
check('userinfo: sub and claims of the granted scopes',
      info.sub === claims.sub && info.preferred_username === 'admin');

const rotated = await oauth.processRefreshTokenResponse(as, client,
  await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure));
check('refresh: a new refresh token', rotated.refresh_token && rotated.refresh_token !== tokens.refresh_token);

const introspected = await oauth.processIntrospectionResponse(as, client,
  await oauth.introspectionRequest(as, client, auth, rotated.access_token, insecure));
check('introspection: active, sub, client_id', introspected.active === true &&
      introspected.sub === claims.sub && introspected.client_id === clientId);

await refused('the rotated refresh token replayed: invalid_grant',
  oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure)
    .then((r) => oauth.processRefreshTokenResponse(as, client, r)), 'invalid_grant');
const after = await oauth.processIntrospectionResponse(as, client,
  await oauth.introspectionRequest(as, client, auth, rotated.access_token, insecure));
check('the replay revoked the family (newest access token inactive)', after.active === false);
await refused('the newest refresh token is revoked too',
  oauth.refreshTokenGrantRequest(as, client, auth, rotated.refresh_token, insecure)
    .then((r) => oauth.processRefreshTokenResponse(as, client, r)), 'invalid_grant');

await oauth.processRevocationResponse(
  await oauth.revocationRequest(as, client, auth, 'unknown-token', insecure));
check('revocation of an unknown token: 200', true);

process.exit(failures ? 1 : 0);
