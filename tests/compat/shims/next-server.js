// SPDX-License-Identifier: GPL-3.0-or-later
// Shim of `next/server` for the vendored Ambrosia Next routes: NextResponse as a web Response
// with Next's `cookies` helper, which writes Set-Cookie the way Next does (path "/" unless
// given; delete = empty value, expired). Nothing else of Next is used by those routes.
function serialize(c) {
  const parts = [`${c.name}=${encodeURIComponent(c.value ?? '')}`];
  parts.push(`Path=${c.path ?? '/'}`);
  if (c.expires !== undefined) parts.push(`Expires=${new Date(c.expires).toUTCString()}`);
  if (c.maxAge !== undefined) parts.push(`Max-Age=${c.maxAge}`);
  if (c.domain) parts.push(`Domain=${c.domain}`);
  if (c.secure) parts.push('Secure');
  if (c.httpOnly) parts.push('HttpOnly');
  if (c.sameSite) parts.push(`SameSite=${c.sameSite[0].toUpperCase()}${c.sameSite.slice(1)}`);
  return parts.join('; ');
}

class ResponseCookies {
  constructor(headers) { this.headers = headers; }
  set(name, value, options = {}) {
    const cookie = typeof name === 'object' ? name : { ...options, name, value };
    this.headers.append('set-cookie', serialize(cookie));
    return this;
  }
  delete(name) {
    return this.set({ name, value: '', expires: new Date(0) });
  }
}

export class NextResponse extends Response {
  constructor(body, init) {
    super(body, init);
    this.cookies = new ResponseCookies(this.headers);
  }
  static json(data, init = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new NextResponse(JSON.stringify(data), { ...init, headers });
  }
}
