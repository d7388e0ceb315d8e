// SPDX-License-Identifier: GPL-3.0-or-later
// Ambrosia POS web (seed 002, PIN surface): the vendored AuthProvider, auth session and service
// modules and http client in a jsdom page, talking to the vendored Next API routes (catch-all
// proxy, refresh, logout) hosted on the page's origin (lib/next-host.mjs), which call Gatehouse
// as the Ambrosia server. Login {name, pin} -> perms gate the navigation -> page reload restores
// the session with GET /users/me -> expired access cookie refreshed -> logout.
import { browser } from '../lib/install.mjs';
import { act, render, waitFor as rtlWaitFor } from '@testing-library/react';
import * as catchAll from '../vendor/ambrosia/client/src/app/api/[...slug]/route.js';
import * as logoutRoute from '../vendor/ambrosia/client/src/app/api/auth/logout/route.js';
import * as refreshRoute from '../vendor/ambrosia/client/src/app/api/auth/refresh/route.js';
import { AuthProvider } from '../vendor/ambrosia/client/src/providers/auth/AuthProvider.jsx';
import { useAuth } from '../vendor/ambrosia/client/src/hooks/auth/useAuth.js';
import { usePermission } from '../vendor/ambrosia/client/src/hooks/usePermission.jsx';
import { getAvailableNavigation } from '../vendor/ambrosia/client/src/lib/features.js';
import { loginFromService, RefreshToken, logoutFromService } from '../vendor/ambrosia/client/src/services/authService.js';
import { navigations } from '../shims/next-navigation.js';
import { done, env, expect, expectEq, step } from '../lib/steps.mjs';

const { server } = await startHost();
async function startHost() {
  const { startNextHost } = await import('../lib/next-host.mjs');
  return startNextHost({ catchAll, refresh: refreshRoute, logout: logoutRoute }, Number(new URL(env.page).port));
}

// The app: AuthProvider around a component that reads useAuth() and one permission, as the
// Ambrosia pages do.
let ctx, canSeeOrders;
function Probe() {
  ctx = useAuth();
  canSeeOrders = usePermission({ anyOf: ['orders_read'] });
  return null;
}
const settle = (fn) => rtlWaitFor(fn, { timeout: 10000 });
async function openPage() {
  ctx = undefined;
  const page = render(<AuthProvider><Probe /></AuthProvider>);
  await settle(() => expect(ctx && !ctx.isLoading, 'AuthProvider still loading'));
  return page;
}
const cookieNames = async () => (await browser.jar.getCookies(env.page)).map((c) => c.key).sort();

let page;
await step('ambrosia: first visit without cookies is signed out (AuthProvider -> /users/me, refresh refused)', async () => {
  page = await openPage();
  expectEq(ctx.isAuth, false, 'isAuth');
  expect(navigations.includes('/auth'), `navigations: ${JSON.stringify(navigations)}`);
});

await step('ambrosia: a wrong PIN is refused with a message for the PIN pad', async () => {
  let err;
  await act(async () => { err = await ctx.login({ name: env.pinUser, pin: '0000' === env.pin ? '1111' : '0000' }).catch((e) => e); });
  expect(err instanceof Error, 'login with a wrong PIN succeeded');
  expectEq(err.status, 401, 'status');
  expect(err.message && err.message !== '[object Object]', `message: ${err.message}`);
  expectEq(ctx.isAuth, false, 'isAuth');
});

await step('ambrosia: login {name, pin} through the Next proxy sets both cookies on the page', async () => {
  await act(() => ctx.login({ name: env.pinUser, pin: env.pin }));
  expectEq(ctx.isAuth, true, 'isAuth');
  expectEq(await cookieNames(), ['accessToken', 'refreshToken'], 'cookies');
});

await step('ambrosia: login answers user {userId, name, role, roleId, isAdmin} and perms[]', async () => {
  const u = ctx.user || {};
  expectEq(u.name, env.pinUser, 'user.name');
  for (const k of ['userId', 'role', 'roleId', 'isAdmin']) expect(k in u, `user has no ${k}: ${JSON.stringify(u)}`);
  expect(Array.isArray(ctx.permissions) && ctx.permissions.length > 0, `perms: ${JSON.stringify(ctx.permissions)}`);
  expect(ctx.permissions.every((p) => typeof p.name === 'string'), `perms: ${JSON.stringify(ctx.permissions)}`);
});

await step('ambrosia: perms open the pages of the role (usePermission, navigation)', async () => {
  expectEq(canSeeOrders, true, 'usePermission orders_read');
  const nav = getAvailableNavigation(true, Boolean(ctx.user?.isAdmin), ctx.permissions, 'store');
  expect(nav.some((n) => n.path === '/store/orders'), `navigation: ${JSON.stringify(nav.map((n) => n.path))}`);
});

await step('ambrosia: page reload restores the session (GET /users/me with the accessToken cookie)', async () => {
  page.unmount();
  page = await openPage();
  expectEq(ctx.isAuth, true, 'isAuth after reload');
  expectEq(ctx.user?.name, env.pinUser, 'user.name');
  expect(Array.isArray(ctx.permissions) && ctx.permissions.length > 0, `perms: ${JSON.stringify(ctx.permissions)}`);
});

await step('ambrosia: expired access cookie -> the client refreshes through /api/auth/refresh and carries on', async () => {
  page.unmount();
  // What the browser does when accessToken's Max-Age (60 s) runs out.
  await browser.jar.store.removeCookie('127.0.0.1', '/', 'accessToken');
  expectEq(await cookieNames(), ['refreshToken'], 'cookies before');
  page = await openPage();
  expectEq(ctx.isAuth, true, 'isAuth after refresh');
  expectEq(await cookieNames(), ['accessToken', 'refreshToken'], 'cookies after');
});

await step('ambrosia: authService RefreshToken()', async () => {
  const data = await RefreshToken();
  expectEq(data?.message, 'Token refreshed successfully', 'message (Next refresh route)');
});

await step('ambrosia: logout clears the cookies; reload is signed out', async () => {
  await act(() => ctx.logout());
  expectEq(ctx.isAuth, false, 'isAuth');
  expectEq(await cookieNames(), [], 'cookies');
  page.unmount();
  page = await openPage();
  expectEq(ctx.isAuth, false, 'isAuth after reload');
  page.unmount();
});

await step('ambrosia: authService loginFromService / logoutFromService', async () => {
  const data = await loginFromService({ name: env.pinUser, pin: env.pin });
  expectEq(data?.message, 'Login successful', 'message');
  expect(Array.isArray(data?.perms), `perms: ${JSON.stringify(data)}`);
  const out = await logoutFromService();
  expectEq(out?.message, 'Logged out', 'message (Next logout route)');
  expectEq(await cookieNames(), [], 'cookies');
});

if (env.idleUser) {
  await step('ambrosia: a role without permissions is refused (403) and the app goes to /unauthorized', async () => {
    navigations.length = 0;
    page = await openPage();
    let err;
    await act(async () => { err = await ctx.login({ name: env.idleUser, pin: env.idlePin }).catch((e) => e); });
    expect(err instanceof Error, 'login succeeded');
    expectEq(err.status, 403, 'status');
    expectEq(ctx.isAuth, false, 'isAuth');
    expect(navigations.includes('/unauthorized'), `navigations: ${JSON.stringify(navigations)}`);
    page.unmount();
  });
}

server.close();
done('ambrosia');
