// SPDX-License-Identifier: GPL-3.0-or-later
// The reset-password page (GET /reset-password): served as a file so the page's
// Content-Security-Policy needs no 'unsafe-inline'.
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
