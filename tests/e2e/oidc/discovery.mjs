// SPDX-License-Identifier: GPL-3.0-or-later
// Discovery (OpenID Connect Discovery 1.0, RFC 8414) and the JWKS, as docs/oidc.md's
// endpoint table says; then each RP library's own discovery must accept it.
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import { check, expect, expectEq } from './harness.mjs';

const sorted = (a) => [...(a || [])].sort();

export async function discoverySuite(ctx) {
  const { issuer } = ctx;
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  const meta = await res.json();
  ctx.meta = meta;

  await check('discovery: 200 JSON, issuer is the public URL', async () => {
    expectEq(res.status, 200, 'status');
    expect(/^application\/json/.test(res.headers.get('content-type')), 'a JSON content type', res.headers.get('content-type'));
    expectEq(meta.issuer, issuer, 'issuer');
  });
  await check('discovery: every endpoint of the table, under the issuer', async () => {
    const want = {
      authorization_endpoint: '/oauth2/authorize', token_endpoint: '/oauth2/token',
      userinfo_endpoint: '/oauth2/userinfo', revocation_endpoint: '/oauth2/revoke',
      introspection_endpoint: '/oauth2/introspect', end_session_endpoint: '/oauth2/logout',
      jwks_uri: '/.well-known/jwks.json',
    };
    for (const [k, path] of Object.entries(want)) expectEq(meta[k], issuer + path, k);
  });
  await check('discovery: code flow only, query and form_post, S256 only', async () => {
    expectEq(meta.response_types_supported, ['code'], 'response_types_supported');
    expectEq(sorted(meta.response_modes_supported), ['form_post', 'query'], 'response_modes_supported');
    expectEq(sorted(meta.grant_types_supported), ['authorization_code', 'refresh_token'], 'grant_types_supported');
    expectEq(meta.code_challenge_methods_supported, ['S256'], 'code_challenge_methods_supported');
    expectEq(meta.subject_types_supported, ['public'], 'subject_types_supported');
  });
  await check('discovery: ID tokens signed with RS256 or ES256 only (no none, no HS*)', async () => {
    expectEq(sorted(meta.id_token_signing_alg_values_supported), ['ES256', 'RS256'], 'algs');
  });
  await check('discovery: client auth basic, post and none; scopes; claims; RFC 9207 iss', async () => {
    expectEq(sorted(meta.token_endpoint_auth_methods_supported),
      ['client_secret_basic', 'client_secret_post', 'none'], 'token_endpoint_auth_methods_supported');
    for (const s of ['openid', 'profile', 'email', 'offline_access']) {
      expect((meta.scopes_supported || []).includes(s), `scopes_supported to include ${s}`, meta.scopes_supported);
    }
    for (const c of ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'email', 'email_verified',
                     'name', 'preferred_username']) {
      expect((meta.claims_supported || []).includes(c), `claims_supported to include ${c}`, meta.claims_supported);
    }
    expectEq(meta.authorization_response_iss_parameter_supported, true, 'authorization_response_iss_parameter_supported');
    expectEq(meta.request_parameter_supported, false, 'request_parameter_supported');
    expectEq(meta.request_uri_parameter_supported, false, 'request_uri_parameter_supported');
    expectEq(meta.claims_parameter_supported, false, 'claims_parameter_supported');
  });

  const jwksRes = await fetch(meta.jwks_uri);
  const jwks = await jwksRes.json();
  ctx.jwks = jwks;
  await check('JWKS: public RSA and EC P-256 signing keys, each with kid and alg', async () => {
    expectEq(jwksRes.status, 200, 'status');
    expect(Array.isArray(jwks.keys) && jwks.keys.length >= 2, 'at least two keys', jwks);
    const algs = new Set(jwks.keys.map((k) => k.alg));
    expect(algs.has('RS256') && algs.has('ES256'), 'an RS256 and an ES256 key', [...algs]);
    for (const k of jwks.keys) {
      expect(k.kid && typeof k.kid === 'string', 'a kid', k);
      expect(k.use === undefined || k.use === 'sig', 'use sig', k);
      expect((k.kty === 'RSA' && k.alg === 'RS256' && k.n && k.e) ||
             (k.kty === 'EC' && k.crv === 'P-256' && k.alg === 'ES256' && k.x && k.y), 'an RSA or P-256 key', k);
    }
    expectEq(new Set(jwks.keys.map((k) => k.kid)).size, jwks.keys.length, 'distinct kids');
  });
  await check('JWKS: no private or symmetric key material (d p q dp dq qi k)', async () => {
    for (const k of jwks.keys) {
      for (const f of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) expect(!(f in k), `no "${f}" member`, k);
      expect(k.kty !== 'oct', 'no symmetric key', k);
    }
  });
  await check('openid-client discovery() accepts the metadata', async () => {
    const config = await client.discovery(new URL(issuer), ctx.basic.id, ctx.basic.secret, undefined,
      { execute: [client.allowInsecureRequests] });
    expectEq(config.serverMetadata().issuer, issuer, 'issuer');
  });
  await check('oauth4webapi processDiscoveryResponse() accepts the metadata', async () => {
    const as = await oauth.processDiscoveryResponse(new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }));
    expectEq(as.token_endpoint, `${issuer}/oauth2/token`, 'token_endpoint');
  });
}
