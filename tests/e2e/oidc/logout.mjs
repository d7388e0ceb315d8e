// SPDX-License-Identifier: GPL-3.0-or-later
// RP-initiated logout 1.0 with openid-client's buildEndSessionUrl: id_token_hint,
// post_logout_redirect_uri (registered: redirected to with state; unregistered: never),
// and afterwards the provider session is gone: prompt=none answers login_required.
import * as client from 'openid-client';
import { check, expect, expectEq, getManual } from './harness.mjs';
import { authorize } from './rp_openidclient.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Opens the end-session URL; confirms on the provider's page if it asks; waits for /bye.
async function endSession(ctx, url) {
  const { page } = ctx.browser;
  const before = ctx.callbacks.hits.length;
  await page.goto(String(url));
  let confirmed = false;
  for (let i = 0; i < 100; i++) {
    const hit = ctx.callbacks.hits.slice(before).find((h) => h.path === '/bye');
    if (hit) return { hit, confirmed };
    if (!confirmed && new URL(page.url()).pathname === '/oauth2/logout') {
      const button = page.getByRole('button', { name: /sign out|log out|logout|yes|continue/i }).first();
      if (await button.count()) { confirmed = true; await button.click(); }
    }
    await sleep(75);
  }
  throw new Error(`no redirect to /bye; the browser is at ${page.url()}`);
}

export async function logoutSuite(ctx) {
  const config = ctx.postConfig;
  const before = await authorize(ctx, config, { scope: 'openid', prompt: 'none' });
  await check('control: prompt=none with the provider session gives a code', async () => {
    expect(before.hit.params.get('code'), 'a code', before.hit.url);
  });
  const hint = ctx.postIdToken;
  await check('end_session with an unregistered post_logout_redirect_uri: no redirect there', async () => {
    const url = client.buildEndSessionUrl(config, { id_token_hint: hint, post_logout_redirect_uri: `${ctx.cb}/evil`, state: 'x' });
    const r = await getManual(url);
    expect(!(r.location || '').startsWith(`${ctx.cb}/evil`), 'no redirect to the unregistered URI', r.location);
    expect(r.status === 400 || r.status === 200 || !r.location || new URL(r.location, ctx.issuer).origin === new URL(ctx.issuer).origin,
      'an error or the provider\'s own page', `${r.status} ${r.location}`);
  });
  const state = client.randomState();
  const url = client.buildEndSessionUrl(config, { id_token_hint: hint, post_logout_redirect_uri: `${ctx.cb}/bye`, state });
  const out = await endSession(ctx, url);
  await check('end_session (id_token_hint, post_logout_redirect_uri): back at the RP with state', async () => {
    expectEq(out.hit.params.get('state'), state, 'state');
  });
  const after = await authorize(ctx, config, { scope: 'openid', prompt: 'none' });
  await check('after logout: prompt=none gives login_required (with state and iss)', async () => {
    expectEq([after.hit.params.get('error'), after.hit.params.get('code')], ['login_required', null], 'error code');
    expectEq([after.hit.params.get('state'), after.hit.params.get('iss')], [after.state, ctx.issuer], 'state iss');
  });
  await check('after logout: a new authorization shows the sign-in page again', async () => {
    const again = await authorize(ctx, config, { scope: 'openid' });
    expectEq(again.hit.seen.signin, 1, 'sign-in pages');
    expect(again.hit.params.get('code'), 'a code', again.hit.url);
  });
}
