// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/resetpasswordpage.h"

namespace ResetPasswordPage {

QByteArray html()
{
    static const QByteArray page = QByteArrayLiteral(R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Choose a new password · Gatehouse</title>
<link rel="stylesheet" href="assets/reset-password.css">
</head>
<body>
<main>
  <h1>Choose a new password</h1>
  <p id="hint" class="hint">At least 8 characters. After the change, sign in with the new password.</p>
  <form id="form" novalidate>
    <label for="password">New password</label>
    <input id="password" name="password" type="password" autocomplete="new-password"
           minlength="8" maxlength="1024" required autofocus>
    <label for="confirm">Repeat the new password</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password"
           minlength="8" maxlength="1024" required>
    <button id="submit" type="submit">Change password</button>
  </form>
  <p id="status" role="status" aria-live="polite"></p>
</main>
<script src="assets/reset-password.js"></script>
</body>
</html>
)html");
    return page;
}

} // namespace ResetPasswordPage
