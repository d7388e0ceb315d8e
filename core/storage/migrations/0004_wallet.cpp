// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

using namespace Qt::StringLiterals;

// Tables of the wallet surface (seed 001): the login methods linked to a user, their
// wallets (embedded keys sealed with AES-256-GCM), and the short-lived state of the
// sign-in flows (one-time codes, wallet challenges, OAuth states).
QStringList migration0004Wallet()
{
    return {
        // kind: email, phone, google, twitter, telegram, apple, oauth:<provider>,
        // solana, ethereum. subject is the normalised key (lower-case email, E.164
        // phone, provider subject, base58 or lower-case 0x address); display is what
        // social_links shows.
        u"CREATE TABLE identities ("
        u"  kind TEXT NOT NULL,"
        u"  subject TEXT NOT NULL,"
        u"  user_id TEXT NOT NULL,"
        u"  display TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  PRIMARY KEY (kind, subject))"_s,
        u"CREATE INDEX identities_user ON identities (user_id)"_s,
        // network: Solana | Ethereum; wallet_type: Embedded, Phantom, Metamask…;
        // sealed_key: base64 of the sealed private key, empty for external wallets.
        u"CREATE TABLE wallets ("
        u"  id TEXT PRIMARY KEY,"
        u"  user_id TEXT NOT NULL,"
        u"  network TEXT NOT NULL,"
        u"  address TEXT NOT NULL,"
        u"  wallet_type TEXT NOT NULL,"
        u"  sealed_key TEXT NOT NULL DEFAULT '',"
        u"  created_at BIGINT NOT NULL,"
        u"  UNIQUE (network, address))"_s,
        u"CREATE INDEX wallets_user ON wallets (user_id, created_at)"_s,
        // One live code per recipient; code_hash is a keyed HMAC, never the code.
        u"CREATE TABLE wallet_codes ("
        u"  channel TEXT NOT NULL,"
        u"  recipient TEXT NOT NULL,"
        u"  code_hash TEXT NOT NULL,"
        u"  sent_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  attempts INTEGER NOT NULL DEFAULT 0,"
        u"  PRIMARY KEY (channel, recipient))"_s,
        u"CREATE TABLE wallet_challenges ("
        u"  nonce TEXT PRIMARY KEY,"
        u"  method TEXT NOT NULL,"
        u"  address TEXT NOT NULL,"
        u"  message_hash TEXT NOT NULL UNIQUE,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  used_at BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX wallet_challenges_expires ON wallet_challenges (expires_at)"_s,
        u"CREATE TABLE oauth_states ("
        u"  state TEXT PRIMARY KEY,"
        u"  provider TEXT NOT NULL,"
        u"  redirect_uri TEXT NOT NULL,"
        u"  code_challenge TEXT NOT NULL,"
        u"  created_at BIGINT NOT NULL,"
        u"  expires_at BIGINT NOT NULL,"
        u"  callback_at BIGINT NOT NULL DEFAULT 0,"
        u"  used_at BIGINT NOT NULL DEFAULT 0)"_s,
        u"CREATE INDEX oauth_states_expires ON oauth_states (expires_at)"_s,
    };
}
