// SPDX-License-Identifier: GPL-3.0-or-later
// Step bookkeeping for the drivers: each step prints "ok   NAME" or "FAIL NAME" plus why;
// tests/e2e/compat_e2e.sh counts those lines. A step that throws fails; later steps still run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const env = JSON.parse(process.env.COMPAT_ENV || '{}');
let failed = 0;

export async function step(name, fn) {
  try {
    await fn();
    console.log(`  ok   ${name}`);
    return true;
  } catch (err) {
    failed++;
    console.log(`  FAIL ${name}`);
    const text = err && err.stack && !(err instanceof AssertionError) ? err.stack : String(err && err.message || err);
    for (const line of text.split('\n').slice(0, 12)) console.log(`       ${line}`);
    return false;
  }
}

export class AssertionError extends Error {}
export function expect(cond, message) {
  if (!cond) throw new AssertionError(message);
}
export function expectEq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${what}: expected ${e}, got ${a}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// waitFor(fn): polls fn until it returns a truthy value (or stops throwing), up to ms.
export async function waitFor(fn, ms = 10000, what = 'condition') {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) { last = err; }
    if (Date.now() > end) throw new AssertionError(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(50);
  }
}

// The newest mail the SMTP sink saved for TO after the mails already seen.
const seenMail = new Set();
export async function nextMail(to) {
  return waitFor(() => {
    const files = readdirSync(env.maildir).filter((f) => f.endsWith('.eml')).sort();
    for (const f of files) {
      if (seenMail.has(f)) continue;
      const raw = readFileSync(join(env.maildir, f), 'utf8');
      if (!raw.includes(`X-Envelope-To: ${to}`)) continue;
      seenMail.add(f);
      return decodeMail(raw);
    }
    return null;
  }, 15000, `a mail to ${to}`);
}

function decodeMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  } else if (/content-transfer-encoding:\s*base64/i.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { head, body };
}

// The page's timers (token refresh schedules, antd animations) would keep node alive: leave.
export function done(client) {
  console.log(`${client}: done`);
  process.stdout.write('', () => process.exit(failed ? 1 : 0));
}
