// SPDX-License-Identifier: GPL-3.0-or-later
// The browser the vendored clients expect, and nothing more: a jsdom window (document,
// localStorage, events) installed as globals, and a fetch that behaves like a browser's for
// cookies and CORS — a cookie jar (tough-cookie) per page, relative URLs resolved against the
// page, credentials modes, and the CORS checks a browser makes on cross-origin calls (preflight
// for non-simple requests, Access-Control-Allow-Origin/-Credentials on the answer). A client
// that would be blocked in a browser fails here too.
import { JSDOM } from 'jsdom';
import { CookieJar } from 'tough-cookie';

const nativeFetch = globalThis.fetch;
// Node's own networking classes stay: fetch needs them, and the clients only construct them.
const KEEP = new Set(['fetch', 'Request', 'Response', 'Headers', 'FormData', 'Blob', 'File', 'URL',
  'URLSearchParams', 'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'crypto',
  'ReadableStream', 'WritableStream', 'TransformStream', 'structuredClone', 'performance',
  'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask',
  'atob', 'btoa']);

export function installBrowser(pageUrl) {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>',
    { url: pageUrl, pretendToBeVisual: true });
  const { window } = dom;
  for (const key of Object.getOwnPropertyNames(window)) {
    if (KEEP.has(key) || key in globalThis && !['Event', 'EventTarget', 'CustomEvent'].includes(key)) continue;
    try {
      Object.defineProperty(globalThis, key, { configurable: true, writable: true, value: window[key] });
    } catch { /* read-only globals of Node stay */ }
  }
  for (const key of ['window', 'self', 'document', 'navigator', 'location', 'localStorage',
    'sessionStorage', 'Event', 'EventTarget', 'CustomEvent', 'getComputedStyle']) {
    Object.defineProperty(globalThis, key, { configurable: true, writable: true, value: window[key] });
  }
  // Layout APIs jsdom leaves out and antd's responsive grid asks for.
  window.matchMedia = globalThis.matchMedia = (query) => ({
    matches: false, media: query, onchange: null, addListener() {}, removeListener() {},
    addEventListener() {}, removeEventListener() {}, dispatchEvent() { return false; },
  });
  // jsdom has no pseudo-element styles; antd's scrollbar measuring asks for ::-webkit-scrollbar.
  const computed = window.getComputedStyle.bind(window);
  window.getComputedStyle = globalThis.getComputedStyle = (elt) => computed(elt);
  globalThis.ResizeObserver = window.ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
  const jar = new CookieJar();
  const fetch = browserFetch(pageUrl, jar);
  // Ambrosia's Next routes run in this process too (lib/next-host.mjs): while one handles a
  // request, fetch is the server's own (Node's), not the page's.
  const either = (...args) => (globalThis.__compatRequestStore?.getStore() ? nativeFetch : fetch)(...args);
  window.fetch = globalThis.fetch = either;
  return { window, jar, fetch };
}

const SIMPLE_HEADERS = new Set(['accept', 'accept-language', 'content-language', 'content-type']);
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

function corsFailure(url, why) {
  return new TypeError(`CORS: the browser blocks ${url}: ${why}`);
}

// The "site" of a URL (scheme and registrable domain; IP addresses and single labels stand alone).
function site(url) {
  const { protocol, hostname } = new URL(url);
  const domain = /^[\d.]+$|^\[|^[^.]+$/.test(hostname) ? hostname : hostname.split('.').slice(-2).join('.');
  return `${protocol}//${domain}`;
}

export function browserFetch(pageUrl, jar) {
  const pageOrigin = new URL(pageUrl).origin;
  return async function fetch(input, init = {}) {
    if (input instanceof Request) {
      init = { method: input.method, headers: input.headers, body: input.body,
        duplex: 'half', credentials: input.credentials, signal: input.signal, ...init };
      input = input.url;
    }
    let url = new URL(String(input), pageUrl).toString();
    let method = (init.method || 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    const credentials = init.credentials || 'same-origin';
    for (let hop = 0; hop < 20; hop++) {
      const crossOrigin = new URL(url).origin !== pageOrigin;
      const sendCookies = credentials === 'include' || (credentials === 'same-origin' && !crossOrigin);
      // SameSite as browsers apply it to fetch: Lax/Strict cookies only between same-site pages.
      const sameSiteContext = site(url) === site(pageUrl) ? 'strict' : 'none';
      const h = new Headers(headers);
      h.delete('cookie');
      if (sendCookies) {
        const cookie = await jar.getCookieString(url, { sameSiteContext });
        if (cookie) h.set('cookie', cookie);
      }
      if (crossOrigin) {
        h.set('origin', pageOrigin);
        const type = (headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
        const custom = [...headers.keys()].filter((k) => !SIMPLE_HEADERS.has(k));
        const simple = ['GET', 'HEAD', 'POST'].includes(method) && custom.length === 0 &&
          (!headers.has('content-type') || SIMPLE_TYPES.includes(type));
        if (!simple) {
          const pre = await nativeFetch(url, { method: 'OPTIONS', headers: {
            origin: pageOrigin, 'access-control-request-method': method,
            ...(custom.length || headers.has('content-type') ? { 'access-control-request-headers': [...headers.keys()].filter((k) => k !== 'cookie').join(',') } : {}),
          } });
          const allowOrigin = pre.headers.get('access-control-allow-origin');
          if (!pre.ok || (allowOrigin !== pageOrigin && !(allowOrigin === '*' && credentials !== 'include')))
            throw corsFailure(url, `preflight answered ${pre.status}, Access-Control-Allow-Origin ${allowOrigin}`);
          if (credentials === 'include' && pre.headers.get('access-control-allow-credentials') !== 'true')
            throw corsFailure(url, 'preflight lacks Access-Control-Allow-Credentials: true');
          const methods = (pre.headers.get('access-control-allow-methods') || '').toUpperCase().split(/\s*,\s*/);
          if (!['GET', 'HEAD', 'POST'].includes(method) && !methods.includes(method))
            throw corsFailure(url, `preflight does not allow ${method}`);
          const allowed = (pre.headers.get('access-control-allow-headers') || '').toLowerCase().split(/\s*,\s*/);
          for (const k of custom) if (!allowed.includes(k) && !allowed.includes('*'))
            throw corsFailure(url, `preflight does not allow the header ${k}`);
        }
      }
      const res = await nativeFetch(url, { method, headers: h, body, duplex: init.duplex || (body ? 'half' : undefined),
        signal: init.signal, redirect: 'manual' });
      if (crossOrigin) {
        const allowOrigin = res.headers.get('access-control-allow-origin');
        if (allowOrigin !== pageOrigin && !(allowOrigin === '*' && credentials !== 'include'))
          throw corsFailure(url, `answer has Access-Control-Allow-Origin ${allowOrigin}`);
        if (credentials === 'include' && res.headers.get('access-control-allow-credentials') !== 'true')
          throw corsFailure(url, 'answer lacks Access-Control-Allow-Credentials: true');
      }
      if (credentials === 'include' || !crossOrigin) {
        for (const c of res.headers.getSetCookie()) await jar.setCookie(c, url, { ignoreError: true, sameSiteContext });
      }
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location || init.redirect === 'manual') return res;
      url = new URL(location, url).toString();
      if (res.status === 303 || ([301, 302].includes(res.status) && method === 'POST')) {
        method = 'GET'; body = undefined; headers.delete('content-type');
      }
    }
    throw new TypeError('too many redirects');
  };
}
