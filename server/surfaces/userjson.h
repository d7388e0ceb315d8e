// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/namespaceauth.h"
#include "identity/users.h"

#include <QByteArray>
#include <QJsonObject>

// The account surface's user object: the origin's User model (lncrawl/dao/user.py,
// password excluded), plus username and is_admin. `email` is the login name, so an
// account without an address (the default admin) shows its username, as seed 004 says.
// `tier` is the one imported from the origin; without one, admins are VIP (2) as the
// origin seeds its admin, everyone else basic (0); `extra` is always {}.
QJsonObject userJson(const User &user);

// The same object as compact JSON text, byte for byte what QJsonDocument writes for
// userJson() (keys sorted), written directly: `GET /api/auth/me` answers with it on
// every token check.
QByteArray userJsonText(const User &user);

// The namespace surface's answer to a login, {token, user: {id, username?, firstName?,
// lastName?}}, as QJsonDocument writes it (keys sorted), written directly.
QJsonObject grantJson(const NamespaceAuth::Grant &grant);
QByteArray grantJsonText(const NamespaceAuth::Grant &grant);
