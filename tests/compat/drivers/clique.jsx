// SPDX-License-Identifier: GPL-3.0-or-later
// Clique Wallet SDK (seed 001, wallet surface): the vendored WalletClient, as a dapp on another
// origin uses it (COMPAT_ENV.page; so every call is cross-origin and must pass the browser's
// CORS checks, with the session cookie sent under withCredentials): email code -> login ->
// session -> reconnect -> logout. What the SDK asks for beyond the seed (/sign, /wallets,
// /oauth_id, OAuth without state/PKCE) is listed in README.md as known gaps.
import '../lib/install.mjs';
import axios, { AxiosError } from 'axios';
import { WalletClient } from '../vendor/clique-wallet-sdk/src/client';
import { done, env, expect, expectEq, nextMail, step } from '../lib/steps.mjs';

// Environment: route axios through the page's fetch (cookie jar, CORS) as in a browser.
axios.defaults.adapter = 'fetch';

const email = 'wallet-user@example.test';
const client = new WalletClient({
  baseURL: env.base,
  solanaCluster: { name: 'devnet', rpcUrl: 'http://127.0.0.1:9/' }, // never called by these steps
});
let userId;

await step('clique: sendEmailVerificationCode delivers a 6-digit code by mail', async () => {
  await client.sendEmailVerificationCode(email);
  const mail = await nextMail(email);
  env.code = (mail.body.match(/\b\d{6}\b/) || [])[0];
  expect(env.code, `no code in the mail: ${mail.body.slice(0, 200)}`);
});

await step('clique: a second code within 60 s is refused (400 rate limited)', async () => {
  const err = await client.sendEmailVerificationCode(email).catch((e) => e);
  expect(err instanceof AxiosError, `not refused: ${err}`);
  expectEq([err.response?.status, err.response?.data?.error], [400, 'rate limited'], 'status and error');
});

await step('clique: verifyEmailVerificationCode with a wrong code is refused (400)', async () => {
  const wrong = env.code === '000000' ? '111111' : '000000';
  const err = await client.verifyEmailVerificationCode({ email, code: wrong }).catch((e) => e);
  expect(err instanceof AxiosError, `not refused: ${err}`);
  expectEq(err.response?.status, 400, 'status');
  expectEq(client.getWallet(), null, 'wallet after a refused login');
});

await step('clique: verifyEmailVerificationCode logs in (user id, embedded wallets, Email link)', async () => {
  const wallet = await client.verifyEmailVerificationCode({ email, code: env.code });
  expect(wallet && typeof wallet.id === 'string' && wallet.id.length > 0, `wallet: ${JSON.stringify(wallet)}`);
  userId = wallet.id;
  expectEq(client.id, userId, 'client.id');
  expect(client.social_links?.some((s) => s.Email === email), `social_links: ${JSON.stringify(client.social_links)}`);
  const networks = (wallet.wallets || []).filter((w) => w.wallet_type === 'Embedded').map((w) => w.network).sort();
  expectEq(networks, ['Ethereum', 'Solana'], 'embedded wallets');
});

await step('clique: getSession with the session cookie (cross-origin, withCredentials)', async () => {
  const session = await client.getSession();
  expectEq(session.id, userId, 'session user id');
});

await step('clique: reconnect restores the wallet after a page reload', async () => {
  const fresh = new WalletClient({ baseURL: env.base, solanaCluster: { name: 'devnet', rpcUrl: 'http://127.0.0.1:9/' } });
  const wallet = await fresh.reconnect();
  expectEq(wallet?.id, userId, 'reconnected user id');
  expectEq(fresh.id, userId, 'client.id');
});

await step('clique: logout ends the session; getSession then 401, reconnect null', async () => {
  await client.logout();
  expectEq(client.getWallet(), null, 'wallet after logout');
  const err = await client.getSession().catch((e) => e);
  expect(err instanceof AxiosError, `session still answers: ${JSON.stringify(err)}`);
  expectEq(err.response?.status, 401, 'status');
  expectEq(await client.reconnect(), null, 'reconnect after logout');
});

await step('clique: the used code does not log in again', async () => {
  const err = await client.verifyEmailVerificationCode({ email, code: env.code }).catch((e) => e);
  expect(err instanceof AxiosError, `the code worked twice: ${JSON.stringify(err)}`);
  expectEq(err.response?.status, 400, 'status');
});

done('clique');
