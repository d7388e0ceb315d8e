// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// The page a password-reset email links to ({public_url}/reset-password?token=…): a
// form for the new password that posts it to /api/auth/reset-password-with-token with
// the token from the link as its bearer token (fetch, same origin), then says whether
// it worked. The token is read by the script and dropped from the address bar; the
// page itself is static (no value from the request is written into it):
// resources/pages/reset-password.html.
namespace ResetPasswordPage {
QByteArray html();
} // namespace ResetPasswordPage
