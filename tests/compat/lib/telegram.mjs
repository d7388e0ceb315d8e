// SPDX-License-Identifier: GPL-3.0-or-later
// Telegram Mini App initData, signed as Telegram's documentation says (what Telegram itself
// would hand the Mini App): data-check-string of the sorted fields, key HMAC("WebAppData", bot token).
import { createHmac } from 'node:crypto';

export function miniAppInitData(botToken, user, authDate = Math.floor(Date.now() / 1000)) {
  const fields = { auth_date: String(authDate), query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user: JSON.stringify(user) };
  const dcs = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(dcs).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}
