// SPDX-License-Identifier: GPL-3.0-or-later
// hapi web after `gatehouse import hapi` (tests/e2e/import_origins_e2e.sh): a Telegram account
// bound in hapi's own store signs in to Gatehouse straight away through the vendored useAuth
// and ApiClient, in the namespace it was bound to there, with no new binding.
import '../lib/install.mjs';
import { act, renderHook, waitFor as rtlWaitFor } from '@testing-library/react';
import { ApiError } from '../vendor/hapi/web/src/api/client';
import { useAuth } from '../vendor/hapi/web/src/hooks/useAuth';
import { done, env, expect, expectEq, step } from '../lib/steps.mjs';
import { miniAppInitData } from '../lib/telegram.mjs';

const base = env.base;
const settle = (fn) => rtlWaitFor(fn, { timeout: 10000 });
const jwtPayload = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
const tgUser = { id: Number(env.tgId), first_name: 'Imported', username: 'imported_user' };
const initData = miniAppInitData(env.botToken, tgUser);

await step('hapi: a Telegram user bound in hapi signs in directly, in its hapi namespace', async () => {
  const { result, unmount } = renderHook(() => useAuth({ type: 'telegram', initData }, base));
  await settle(() => expect(result.current.token, `no token (error: ${result.current.error}, needsBinding: ${result.current.needsBinding})`));
  expectEq(result.current.needsBinding, false, 'needsBinding');
  expectEq(jwtPayload(result.current.token).ns, env.ns, 'JWT ns');
  expectEq(result.current.user?.username, 'imported_user', 'user.username');
  unmount();
});

await step('hapi: the imported binding keeps its namespace (another one answers 409 already_bound)', async () => {
  const { result, unmount } = renderHook(() => useAuth({ type: 'telegram', initData }, base));
  await settle(() => expect(result.current.token, 'not signed in'));
  let err;
  await act(async () => { err = await result.current.bind(`${env.cliToken}:elsewhere`).catch((e) => e); });
  expect(err instanceof ApiError, `not an ApiError: ${err}`);
  expectEq([err.status, err.code], [409, 'already_bound'], 'status and code');
  unmount();
});

await step('hapi: a Telegram user hapi never bound still needs binding', async () => {
  const stranger = miniAppInitData(env.botToken, { id: Number(env.tgId) + 1000, first_name: 'New' });
  const { result, unmount } = renderHook(() => useAuth({ type: 'telegram', initData: stranger }, base));
  await settle(() => expect(result.current.needsBinding, `needsBinding false (error: ${result.current.error})`));
  expectEq(result.current.token, null, 'token');
  unmount();
});

await step('hapi: the CLI access token of the imported namespace signs in (hapi clients keep their token)', async () => {
  const source = { type: 'accessToken', token: `${env.cliToken}:${env.ns}` };
  const { result, unmount } = renderHook(() => useAuth(source, base));
  await settle(() => expect(result.current.token, `no token (error: ${result.current.error})`));
  expectEq(jwtPayload(result.current.token).ns, env.ns, 'JWT ns');
  unmount();
});

done('hapi-imported');
