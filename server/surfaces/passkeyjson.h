// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/passkeys.h"
#include "identity/webauthn.h"

#include <QJsonObject>

// The browser's PublicKeyCredential in its JSON form (WebAuthn L3 toJSON(): byte
// fields base64url) to the byte structs the WebAuthn checks take, and a stored passkey
// to the JSON the API lists. Parse errors are InvalidInput refusals naming the field
// ("field 'response.response.clientDataJSON' …").
namespace PasskeyJson {

// `credential` is the body's field `field` (a RegistrationResponseJSON); `transports`
// gets response.transports (browser-reported hints; unknown ones dropped).
WebAuthn::RegistrationResponse registration(const QJsonObject &body, const QString &field,
                                            QStringList *transports);
// An AuthenticationResponseJSON in the body's field `field`.
WebAuthn::AssertionResponse assertion(const QJsonObject &body, const QString &field);
// {id, label, alg, transports, aaguid, backup_eligible, backed_up, sign_count,
//  created_at, last_used_at}
QJsonObject describe(const Passkey &passkey);

} // namespace PasskeyJson
