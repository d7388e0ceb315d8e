// SPDX-License-Identifier: GPL-3.0-or-later
// The relying parties of oidc_e2e.sh against the real `gatehouse serve`: discovery and
// JWKS, openid-client (client_secret_basic; client_secret_post with form_post),
// oauth4webapi (a public client, PKCE only), the negative tests, the `alg` downgrade and
// RP-initiated logout, all through the real sign-in page in headless Chromium. Prints
// one line a check (lib.sh's format) and "rp total: N passed, M failed".
//
// env: ISSUER, CB_PORT, USER_{ID,EMAIL,PASSWORD,NAME,USERNAME,EMAIL_VERIFIED},
//      BASIC_ID/BASIC_SECRET (consent shown, RS256), POST_ID/POST_SECRET (first party,
//      ES256), PUBLIC_ID (no secret)
import { counts, launchBrowser, startCallbackServer } from './harness.mjs';
import { discoverySuite } from './discovery.mjs';
import { basicSuite, postSuite } from './rp_openidclient.mjs';
import { publicSuite } from './rp_oauth4webapi.mjs';
import { authorizeNegatives, tokenNegatives } from './negative.mjs';
import { downgradeSuite } from './downgrade.mjs';
import { logoutSuite } from './logout.mjs';

const env = process.env;
const ctx = {
  issuer: env.ISSUER,
  cb: `http://127.0.0.1:${env.CB_PORT}`,
  user: {
    id: env.USER_ID, email: env.USER_EMAIL, password: env.USER_PASSWORD, name: env.USER_NAME,
    username: env.USER_USERNAME, emailVerified: env.USER_EMAIL_VERIFIED === 'true',
  },
  basic: { id: env.BASIC_ID, secret: env.BASIC_SECRET },
  post: { id: env.POST_ID, secret: env.POST_SECRET },
  pub: { id: env.PUBLIC_ID },
};
for (const [k, v] of Object.entries({ ...ctx, ...ctx.user, b: ctx.basic.id, p: ctx.post.id, q: ctx.pub.id })) {
  if (v === undefined || v === '') { console.error(`run.mjs: missing ${k}`); process.exit(2); }
}

const only = process.argv[2]; // one suite by name, while developing
const suites = [
  ['discovery', discoverySuite],
  ['openid-client, client_secret_basic, query', basicSuite],
  ['openid-client, client_secret_post, form_post', postSuite],
  ['oauth4webapi, public client', publicSuite],
  ['negative: authorization endpoint', authorizeNegatives],
  ['negative: token endpoint', tokenNegatives],
  ['alg downgrade', downgradeSuite],
  ['RP-initiated logout', logoutSuite],
];

ctx.callbacks = await startCallbackServer(Number(env.CB_PORT));
ctx.browser = await launchBrowser();
try {
  for (const [name, suite] of suites) {
    if (only && !name.startsWith(only) && suite !== discoverySuite) continue;
    console.log(`[${name}]`);
    const started = Date.now();
    try {
      await suite(ctx);
    } catch (e) { // a suite that could not go on: one failure, the next suite still runs
      counts.failed++;
      console.log(`  FAIL ${name}: stopped: ${e.message.split('\n')[0]}`);
    }
    if (Date.now() - started > 5000) console.log(`  (${name}: ${Date.now() - started} ms)`);
  }
  if (ctx.browser.problems.length) {
    counts.failed++;
    console.log(`  FAIL page errors in the browser: ${ctx.browser.problems.join('; ')}`);
  }
} finally {
  await ctx.browser.close();
  await ctx.callbacks.close();
}
console.log(`rp total: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed ? 1 : 0);
