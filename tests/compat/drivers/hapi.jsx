// SPDX-License-Identifier: GPL-3.0-or-later
// hapi web (seed 000, namespace surface): the vendored ApiClient and useAuth hook, rendered with
// React in jsdom, as the hapi PWA and Telegram Mini App use them: CLI access token -> JWT, a
// Telegram user that is not bound yet -> "needs binding" -> bind with the CLI token -> JWT.
import '../lib/install.mjs';
import { act, renderHook, waitFor as rtlWaitFor } from '@testing-library/react';
import { ApiClient, ApiError } from '../vendor/hapi/web/src/api/client';
import { useAuth } from '../vendor/hapi/web/src/hooks/useAuth';
import { done, env, expect, expectEq, step } from '../lib/steps.mjs';
import { miniAppInitData } from '../lib/telegram.mjs';

const base = env.base;
const accessToken = `${env.cliToken}:compat`;
const settle = (fn) => rtlWaitFor(fn, { timeout: 10000 });
const jwtPayload = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());

await step('hapi: useAuth with the CLI access token gets a 15-minute JWT', async () => {
  const source = { type: 'accessToken', token: accessToken };
  const { result, unmount } = renderHook(() => useAuth(source, base));
  await settle(() => expect(result.current.token, `no token yet (error: ${result.current.error})`));
  const exp = jwtPayload(result.current.token).exp * 1000 - Date.now();
  expect(exp > 14 * 60e3 && exp <= 15 * 60e3 + 5e3, `JWT lives ${Math.round(exp / 1000)} s, not 15 min`);
  expect(result.current.user && result.current.user.id !== undefined, `user: ${JSON.stringify(result.current.user)}`);
  expect(result.current.api instanceof ApiClient, 'no ApiClient for the signed-in user');
  expectEq(result.current.error, null, 'error');
  unmount();
});

await step('hapi: a wrong access token shows an error, no token', async () => {
  const source = { type: 'accessToken', token: 'wrong-secret:compat' };
  const { result, unmount } = renderHook(() => useAuth(source, base));
  await settle(() => expect(result.current.error, 'no error shown'));
  expectEq(result.current.token, null, 'token');
  expect(/HTTP 401/.test(result.current.error), `error: ${result.current.error}`);
  unmount();
});

await step('hapi: ApiClient.authenticate answers ApiError 401 for a malformed token', async () => {
  const err = await new ApiClient('', { baseUrl: base }).authenticate({ accessToken: 'no-namespace' }).catch((e) => e);
  expect(err instanceof ApiError, `not an ApiError: ${err}`);
  expect(err.status === 401 || err.status === 400, `status ${err.status}`);
});

const tgUser = { id: 424242, first_name: 'Compat', last_name: 'Tester', username: 'compat_tester' };
const initData = miniAppInitData(env.botToken, tgUser);

await step('hapi: Telegram Mini App user not bound yet -> useAuth asks for binding', async () => {
  const source = { type: 'telegram', initData };
  const { result, unmount } = renderHook(() => useAuth(source, base));
  await settle(() => expect(result.current.needsBinding, `needsBinding false (error: ${result.current.error})`));
  expectEq(result.current.token, null, 'token');
  expectEq(result.current.error, null, 'error');

  // The Mini App's bind form: the person pastes the CLI access token.
  await act(() => result.current.bind(accessToken));
  await settle(() => expect(result.current.token, `no token after bind (error: ${result.current.error})`));
  expectEq(result.current.needsBinding, false, 'needsBinding after bind');
  expectEq(result.current.user?.username, 'compat_tester', 'user.username');
  expectEq(result.current.user?.firstName, 'Compat', 'user.firstName');
  expectEq(localStorage.getItem(`hapi_access_token::${base}`), accessToken, 'remembered access token');
  unmount();
});

await step('hapi: the bound Telegram user signs in directly next time', async () => {
  const source = { type: 'telegram', initData };
  const { result, unmount } = renderHook(() => useAuth(source, base));
  await settle(() => expect(result.current.token, `no token (error: ${result.current.error}, needsBinding: ${result.current.needsBinding})`));
  expectEq(jwtPayload(result.current.token).exp > Date.now() / 1000, true, 'JWT not expired');
  unmount();
});

await step('hapi: binding the same Telegram user to another namespace is refused (409 already_bound)', async () => {
  const source = { type: 'telegram', initData };
  const { result, unmount } = renderHook(() => useAuth(source, base));
  await settle(() => expect(result.current.token, 'not signed in'));
  let err;
  await act(async () => { err = await result.current.bind(`${env.cliToken}:elsewhere`).catch((e) => e); });
  expect(err instanceof ApiError, `not an ApiError: ${err}`);
  expectEq([err.status, err.code], [409, 'already_bound'], 'status and code');
  await settle(() => expect(result.current.error, 'no error shown'));
  unmount();
});

done('hapi');
