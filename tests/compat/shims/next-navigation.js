// SPDX-License-Identifier: GPL-3.0-or-later
// Shim of `next/navigation`: a router that records where the app navigates (the drivers check it).
export const navigations = globalThis.__compatNavigations ??= [];
const router = { push: (path) => navigations.push(path), replace: (path) => navigations.push(path), refresh() {}, back() {}, prefetch() {} };
export function useRouter() { return router; }
