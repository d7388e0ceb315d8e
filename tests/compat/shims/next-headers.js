// SPDX-License-Identifier: GPL-3.0-or-later
// Shim of `next/headers`: cookies() reads the cookies of the request being handled, which the
// route host (lib/next-host.mjs) keeps in an AsyncLocalStorage, as Next does.
import { AsyncLocalStorage } from 'node:async_hooks';

export const requestStore = globalThis.__compatRequestStore ??= new AsyncLocalStorage();

export async function cookies() {
  const request = requestStore.getStore();
  const list = (request?.headers.get('cookie') || '').split(/;\s*/).filter(Boolean).map((pair) => {
    const i = pair.indexOf('=');
    return { name: pair.slice(0, i).trim(), value: decodeURIComponent(pair.slice(i + 1).trim()) };
  });
  return { get: (name) => list.find((c) => c.name === name), getAll: () => list, has: (name) => list.some((c) => c.name === name) };
}
