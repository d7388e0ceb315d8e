// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "oidc/oidcclients.h"

#include <QHash>
#include <QString>

class Services;

// The form of a token, revocation or introspection request and the client that sent it
// (RFC 6749 2.3.1, 3.2). Every failure throws an ApiError in the OAuth shape.
namespace TokenClientAuth {

using Form = QHash<QString, QString>;

// An application/x-www-form-urlencoded body (nothing else), each parameter at most once
// (RFC 6749 3.2): a 400 invalid_request otherwise.
Form parseForm(const Request &request);
// The form field, or empty.
QString field(const Form &form, const QString &name);

enum class Require { AnyClient, Confidential };
// Exactly one method: client_secret_basic (HTTP Basic, id and secret form-urlencoded),
// client_secret_post (client_id and client_secret in the form) or none (client_id only,
// for a public client). Two methods at once: 400 invalid_request. An unknown client, a
// wrong or missing secret, a public client with a secret or, with Confidential, a public
// client: 401 invalid_client (with WWW-Authenticate: Basic when Basic was used). Each
// failure spends the caller's per-IP budget; a spent one answers 429.
OidcClient authenticate(Services &services, const Request &request, const Form &form,
                        Require require = Require::AnyClient);

} // namespace TokenClientAuth
