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
<style>
  :root { color-scheme: light dark; --accent: #2f6fde; --bad: #c0392b; --good: #1e8449; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
         background: Canvas; color: CanvasText; }
  main { width: min(24rem, 100% - 2rem); padding: 2rem; border-radius: 12px;
         border: 1px solid color-mix(in srgb, CanvasText 15%, transparent);
         box-shadow: 0 6px 24px rgb(0 0 0 / 0.08); }
  h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
  p { margin: .25rem 0 1rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { box-sizing: border-box; width: 100%; margin-top: .35rem; padding: .6rem .7rem;
          font: inherit; border-radius: 8px; border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); }
  button { margin-top: 1.5rem; width: 100%; padding: .7rem; font: inherit; font-weight: 600;
           color: #fff; background: var(--accent); border: 0; border-radius: 8px; cursor: pointer; }
  button:disabled { opacity: .6; cursor: default; }
  #status { min-height: 1.5rem; margin-top: 1rem; }
  .bad { color: var(--bad); } .good { color: var(--good); }
  .hint { font-size: .875rem; opacity: .75; }
</style>
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
<script>
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var token = params.get("token") || "";
  // Keep the token out of the history and of anything that reads the address bar.
  if (window.history && window.history.replaceState)
    window.history.replaceState(null, "", window.location.pathname);
  var form = document.getElementById("form");
  var status = document.getElementById("status");
  var button = document.getElementById("submit");
  function say(text, kind) { status.textContent = text; status.className = kind || ""; }
  if (!token) {
    say("This link is incomplete. Ask for a new password-reset email.", "bad");
    button.disabled = true;
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var password = document.getElementById("password").value;
    var confirm = document.getElementById("confirm").value;
    if (password.length < 8) { say("The password must have at least 8 characters.", "bad"); return; }
    if (password !== confirm) { say("The two passwords differ.", "bad"); return; }
    button.disabled = true;
    say("Changing the password…");
    fetch("api/auth/reset-password-with-token", {
      method: "POST",
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify({ password: password }),
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.ok && body === true) {
          form.hidden = true;
          document.getElementById("hint").hidden = true;
          say("Your password was changed. You can now sign in with it.", "good");
          return;
        }
        var why = body && (body.detail || body.error) ? (body.detail || body.error) : "HTTP " + response.status;
        say("The password was not changed: " + why + ".", "bad");
        button.disabled = response.status === 401 || response.status === 403;
      });
    }).catch(function () {
      say("The server could not be reached. Try again.", "bad");
      button.disabled = false;
    });
  });
})();
</script>
</body>
</html>
)html");
    return page;
}

} // namespace ResetPasswordPage
