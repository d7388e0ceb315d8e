// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenID provider's sign-in page (GET /oauth2/signin). The password, emailed-code and
// second-step forms post without this script; it adds what needs one: a passkey (alone or
// as the second step) and a wallet signature, shown only where the browser can do them.
// Served as a file: the page's Content-Security-Policy has no 'unsafe-inline'.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var main = $("signin");
  var request = main.getAttribute("data-request");
  var csrf = main.getAttribute("data-csrf");
  var error = $("error");

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    error.focus();
  }
  if (!error.hidden) error.focus();

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
  function requestOptions(json) {
    var o = Object.assign({}, json);
    o.challenge = fromB64(json.challenge);
    o.allowCredentials = (json.allowCredentials || []).map(function (d) {
      return Object.assign({}, d, { id: fromB64(d.id) });
    });
    return o;
  }
  // PublicKeyCredential -> AuthenticationResponseJSON (WebAuthn L3).
  function assertionJson(cred) {
    var r = cred.response;
    return { id: cred.id, rawId: toB64(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment || null,
      response: { clientDataJSON: toB64(r.clientDataJSON),
        authenticatorData: toB64(r.authenticatorData), signature: toB64(r.signature),
        userHandle: r.userHandle ? toB64(r.userHandle) : null } };
  }

  function post(path, body) {
    body.request = request;
    body.csrf = csrf;
    return fetch(path, { method: "POST", credentials: "same-origin", cache: "no-store",
                         headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.ok) return data;
          throw new Error(data && data.error_description ? data.error_description
                                                         : "The server answered " + response.status + ".");
        });
      });
  }
  function finish(data) { window.location.assign(data.location); }
  function failed(error) {
    if (error && error.name === "NotAllowedError") showError("The passkey request was cancelled or timed out.");
    else showError(String((error && error.message) || error));
  }
  function busy(button, run) {
    return function () {
      button.disabled = true;
      run().catch(failed).then(function () { button.disabled = false; });
    };
  }

  function usePasskey(optionsPath, finishPath, extra) {
    return post(optionsPath, Object.assign({}, extra)).then(function (started) {
      return navigator.credentials.get({ publicKey: requestOptions(started.options) })
        .then(function (cred) {
          return post(finishPath, Object.assign({ ceremony: started.ceremony,
                                                  response: assertionJson(cred) }, extra));
        });
    }).then(finish);
  }

  function evmWallet() {
    var eth = window.ethereum;
    var name = eth.isRabby ? "rabby" : eth.isCoinbaseWallet ? "coinbase" : "metamask";
    return eth.request({ method: "eth_requestAccounts" }).then(function (accounts) {
      var address = accounts[0];
      return post("/oauth2/signin/wallet/challenge", { wallet: name, address: address })
        .then(function (issued) {
          var hex = "0x" + Array.prototype.map.call(new TextEncoder().encode(issued.challenge),
            function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
          return eth.request({ method: "personal_sign", params: [hex, address] }).then(function (signature) {
            return post("/oauth2/signin/wallet", { wallet: name, address: address,
                                                   challenge: issued.challenge, signature: signature });
          });
        });
    });
  }
  function solanaWallet() {
    var sol = window.phantom && window.phantom.solana ? window.phantom.solana : window.solana;
    return sol.connect().then(function (connected) {
      var address = connected.publicKey.toString();
      return post("/oauth2/signin/wallet/challenge", { wallet: "phantom", address: address })
        .then(function (issued) {
          return sol.signMessage(new TextEncoder().encode(issued.challenge), "utf8").then(function (signed) {
            var bytes = signed.signature || signed, bin = "";
            for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
            return post("/oauth2/signin/wallet", { wallet: "phantom", address: address,
                                                   challenge: issued.challenge, signature: btoa(bin) });
          });
        });
    });
  }

  var scripted = $("scripted");
  if (window.PublicKeyCredential && navigator.credentials) {
    var passkey = $("passkey-signin");
    passkey.hidden = false;
    scripted.hidden = false;
    passkey.addEventListener("click", busy(passkey, function () {
      return usePasskey("/oauth2/signin/passkey/options", "/oauth2/signin/passkey", {});
    }));
    var second = $("second-passkey");
    if (second.getAttribute("data-offered") === "yes") {
      second.hidden = false;
      second.addEventListener("click", busy(second, function () {
        return usePasskey("/oauth2/signin/second-factor/passkey-options",
                          "/oauth2/signin/second-factor/passkey",
                          { challenge: second.getAttribute("data-challenge"),
                            first: second.getAttribute("data-first") });
      }));
    }
  }
  var hasEvm = !!(window.ethereum && window.ethereum.request);
  var hasSolana = !!((window.phantom && window.phantom.solana) || (window.solana && window.solana.signMessage));
  if (hasEvm || hasSolana) {
    var wallet = $("wallet-signin");
    wallet.hidden = false;
    scripted.hidden = false;
    wallet.addEventListener("click", busy(wallet, function () {
      return (hasEvm ? evmWallet() : solanaWallet()).then(finish);
    }));
  }
})();
