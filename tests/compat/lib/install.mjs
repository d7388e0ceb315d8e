// SPDX-License-Identifier: GPL-3.0-or-later
// Imported first by every driver, so the browser globals exist before any client module loads.
// The page's address is COMPAT_ENV.page (default: the Gatehouse base URL, i.e. same origin).
import { installBrowser } from './browser.mjs';
import 'fake-indexeddb/auto'; // IndexedDB, which jsdom lacks (lncrawl-web keeps its editor state there)

const env = JSON.parse(process.env.COMPAT_ENV || '{}');
export const browser = installBrowser(env.page || env.base || 'http://localhost/');

// React's act() reminders and antd's deprecation notes are about the test harness and the
// clients' code, not about Gatehouse: keep them out of the step output.
for (const level of ['error', 'warn']) {
  const original = console[level];
  console[level] = (...args) => {
    const text = args.map(String).join(' ');
    if (/not wrapped in act|Warning: \[antd|\[antd: /.test(text)) return;
    original(...args);
  };
}
