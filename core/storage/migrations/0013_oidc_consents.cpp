// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// What each person allowed each OpenID client to know (the consent page's Allow): one
// row per user and client, the scopes granted so far. Removing the user or the client
// removes its consents.
QStringList migration0013OidcConsents()
{
    return {
        u"CREATE TABLE oidc_consents ("
        u"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        u"  client_id TEXT NOT NULL REFERENCES oidc_clients(client_id) ON DELETE CASCADE,"
        u"  scopes TEXT NOT NULL,"
        u"  granted_at BIGINT NOT NULL,"
        u"  PRIMARY KEY (user_id, client_id))"_s,
        u"CREATE INDEX oidc_consents_client ON oidc_consents (client_id)"_s,
    };
}
