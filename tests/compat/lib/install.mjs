// SPDX-License-Identifier: GPL-3.0-or-later
// Imported first by every driver, so the browser globals exist before any client module loads.
// The page's address is COMPAT_ENV.page (default: the Gatehouse base URL, i.e. same origin).
import { installBrowser } from './browser.mjs';

const env = JSON.parse(process.env.COMPAT_ENV || '{}');
export const browser = installBrowser(env.page || env.base || 'http://localhost/');
