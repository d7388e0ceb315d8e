// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in page (GET /signin), served as a file so the page's Content-Security-Policy
// needs no 'unsafe-inline'. Talks to the account API on the same origin; the login token
// is kept in this page's memory only (gone on reload or "Sign out").
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var status = $("status");
  var token = null;
  var secondChallenge = null;
  function say(text, kind) { status.textContent = text; status.className = kind || ""; }
  function show(section) {
    ["signin", "second-step", "account"].forEach(function (id) { $(id).hidden = id !== section; });
  }

  // base64url <-> ArrayBuffer: the JSON options carry bytes as base64url.
  function fromB64(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toB64(buffer) {
    var bytes = new Uint8Array(buffer), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function descriptors(list) {
    return (list || []).map(function (d) { return Object.assign({}, d, { id: fromB64(d.id) }); });
  }
  function creationOptions(json) {
    var o = Object.assign({}, json);
    o.challenge = fromB64(json.challenge);
    o.user = Object.assign({}, json.user, { id: fromB64(json.user.id) });
    o.excludeCredentials = descriptors(json.excludeCredentials);
    return o;
  }
  function requestOptions(json) {
    var o = Object.assign({}, json);
    o.challenge = fromB64(json.challenge);
    o.allowCredentials = descriptors(json.allowCredentials);
    return o;
  }
  // PublicKeyCredential -> RegistrationResponseJSON / AuthenticationResponseJSON (L3).
  function credentialJson(cred) {
    var r = cred.response, out = { id: cred.id, rawId: toB64(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults(), response: {} };
    out.authenticatorAttachment = cred.authenticatorAttachment || null;
    out.response.clientDataJSON = toB64(r.clientDataJSON);
    if (r.attestationObject) {
      out.response.attestationObject = toB64(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = toB64(r.authenticatorData);
      out.response.signature = toB64(r.signature);
      out.response.userHandle = r.userHandle ? toB64(r.userHandle) : null;
    }
    return out;
  }

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    return fetch(path, { method: method, headers: headers, credentials: "omit", cache: "no-store",
                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.ok) return data;
          var why = data && (data.error || data.detail) ? (data.error || data.detail) : "HTTP " + response.status;
          var error = new Error(why);
          error.body = data;
          throw error;
        });
      });
  }
  function failed(what) {
    return function (error) {
      var why = error && error.name === "NotAllowedError" ? "cancelled or not allowed" : String(error.message || error);
      say(what + ": " + why + ".", "bad");
    };
  }

  function signedIn(answer) {
    token = answer.token;
    secondChallenge = null;
    $("who").textContent = answer.user.email || answer.user.username || answer.user.id;
    show("account");
    say("Signed in.", "good");
    return listPasskeys();
  }
  // A password login answers {token, user}, or 401 with `second_factor` {challenge,
  // methods} when the account has a second factor: then the second step comes first.
  function secondStep(error) {
    var step = error && error.body && error.body.second_factor;
    if (!step) throw error;
    secondChallenge = step.challenge;
    $("code-form").hidden = step.methods.indexOf("totp") < 0 && step.methods.indexOf("recovery_code") < 0;
    $("second-passkey").hidden = step.methods.indexOf("passkey") < 0;
    show("second-step");
    say(error.message + ".", "");
  }
  function listPasskeys() {
    return api("GET", "api/auth/me/passkeys").then(function (list) {
      var ul = $("passkey-list");
      ul.textContent = "";
      list.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p.label;
        li.dataset.id = p.id;
        ul.appendChild(li);
      });
      if (!list.length) {
        var none = document.createElement("li");
        none.textContent = "none yet";
        ul.appendChild(none);
      }
    });
  }

  $("password-form").addEventListener("submit", function (event) {
    event.preventDefault();
    say("Signing in…");
    api("POST", "api/auth/login", { email: $("email").value, password: $("password").value })
      .then(signedIn, secondStep).catch(failed("Not signed in"));
  });
  $("passkey-signin").addEventListener("click", function () {
    say("Waiting for the passkey…");
    api("POST", "api/auth/passkey/options", {}).then(function (begun) {
      return navigator.credentials.get({ publicKey: requestOptions(begun.options) }).then(function (cred) {
        return api("POST", "api/auth/passkey/login", { ceremony: begun.ceremony, response: credentialJson(cred) });
      });
    }).then(signedIn).catch(failed("Not signed in"));
  });
  $("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    say("Checking the code…");
    api("POST", "api/auth/login/second-factor", { challenge: secondChallenge, code: $("code").value.trim() })
      .then(signedIn).catch(failed("Not signed in"));
  });
  $("second-passkey").addEventListener("click", function () {
    say("Waiting for the passkey…");
    api("POST", "api/auth/login/second-factor/passkey-options", { challenge: secondChallenge }).then(function (begun) {
      return navigator.credentials.get({ publicKey: requestOptions(begun.options) }).then(function (cred) {
        return api("POST", "api/auth/login/second-factor",
                   { challenge: secondChallenge, ceremony: begun.ceremony, passkey: credentialJson(cred) });
      });
    }).then(signedIn).catch(failed("Not signed in"));
  });
  $("add-passkey").addEventListener("click", function () {
    say("Waiting for the new passkey…");
    api("POST", "api/auth/me/passkeys/register/options", {}).then(function (options) {
      return navigator.credentials.create({ publicKey: creationOptions(options) });
    }).then(function (cred) {
      return api("POST", "api/auth/me/passkeys/register",
                 { response: credentialJson(cred), label: $("passkey-label").value.trim() });
    }).then(function (passkey) {
      say("Passkey “" + passkey.label + "” added.", "good");
      return listPasskeys();
    }).catch(failed("No passkey added"));
  });
  $("signout").addEventListener("click", function () {
    token = null;
    $("password").value = "";
    show("signin");
    say("Signed out.", "");
  });
  if (!window.PublicKeyCredential) {
    $("passkey-signin").disabled = true;
    $("add-passkey").disabled = true;
  }
})();
