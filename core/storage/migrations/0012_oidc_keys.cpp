// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// The OpenID provider's signing keys (core/oidc/signingkeys.h). The public JWK is kept
// as it is published; the private JWK only sealed (AES-256-GCM, aad = kid, base64) under a key
// derived from the wallet-seal-key secret. retired_at is 0 while a key is current; the
// partial unique index lets at most one current key per algorithm exist, whatever two
// instances do at once.
QStringList migration0012OidcKeys()
{
    return {
        u"CREATE TABLE oidc_keys ("
        u"  kid TEXT PRIMARY KEY,"
        u"  alg TEXT NOT NULL,"
        u"  public_jwk TEXT NOT NULL,"
        u"  sealed_private_jwk TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  retired_at BIGINT NOT NULL)"_s,
        u"CREATE UNIQUE INDEX oidc_keys_current ON oidc_keys (alg) WHERE retired_at = 0"_s,
    };
}
