// SPDX-License-Identifier: GPL-3.0-or-later
// The part of the Next.js server that Ambrosia's auth depends on, around its vendored route
// files: an HTTP server on the page's origin that dispatches /api/auth/refresh and
// /api/auth/logout to their own routes and every other /api/... to the catch-all proxy route
// ([...slug]), hands them web Requests, keeps the request for cookies(), redirects repeated
// slashes with 308 (Ambrosia's client asks for "/api//auth/login"), and writes each Set-Cookie
// separately (Next splits combined ones, as set-cookie-parser's splitCookiesString does).
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { requestStore } from '../shims/next-headers.js';

export function splitCookiesString(value) {
  const out = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== ',') continue;
    // A comma starts a new cookie only if "name=" follows before any ";" or ",".
    const rest = value.slice(i + 1);
    if (/^\s*[^=;,\s]+=/.test(rest)) { out.push(value.slice(start, i).trim()); start = i + 1; }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

export async function startNextHost({ catchAll, refresh, logout }, port = 0) {
  const server = createServer(async (req, res) => {
    try {
      const [path, query = ''] = req.url.split('?');
      if (/\/\/|\\/.test(path)) {
        const clean = path.replace(/\\/g, '/').replace(/\/+/g, '/');
        res.writeHead(308, { location: clean + (query ? `?${query}` : '') }).end();
        return;
      }
      const url = `http://${req.headers.host}${req.url}`;
      const hasBody = !['GET', 'HEAD'].includes(req.method);
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
      });
      let handler;
      if (path === '/api/auth/refresh') handler = refresh[req.method] && (() => refresh[req.method](request));
      else if (path === '/api/auth/logout') handler = logout[req.method] && (() => logout[req.method](request));
      else if (path.startsWith('/api/')) {
        const slug = path.slice(5).split('/').filter(Boolean).map(decodeURIComponent);
        handler = catchAll[req.method] && (() => catchAll[req.method](request, { params: Promise.resolve({ slug }) }));
      }
      if (!handler) { res.writeHead(404).end(); return; }
      const response = await requestStore.run(request, handler);
      const headers = {};
      response.headers.forEach((v, k) => { if (k !== 'set-cookie') headers[k] = v; });
      const cookies = response.headers.getSetCookie().flatMap(splitCookiesString);
      if (cookies.length) headers['set-cookie'] = cookies;
      res.writeHead(response.status, headers);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err && err.stack || err));
    }
  });
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}
