// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

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
        "  kind TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  user_id TEXT NOT NULL,"
        "  display TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  PRIMARY KEY (kind, subject))"_qs,
        u"CREATE INDEX identities_user ON identities (user_id)"_qs,
        // network: Solana | Ethereum; wallet_type: Embedded, Phantom, Metamask…;
        // sealed_key: base64 of the sealed private key, empty for external wallets.
        u"CREATE TABLE wallets ("
        "  id TEXT PRIMARY KEY,"
        "  user_id TEXT NOT NULL,"
        "  network TEXT NOT NULL,"
        "  address TEXT NOT NULL,"
        "  wallet_type TEXT NOT NULL,"
        "  sealed_key TEXT NOT NULL DEFAULT '',"
        "  created_at BIGINT NOT NULL,"
        "  UNIQUE (network, address))"_qs,
        u"CREATE INDEX wallets_user ON wallets (user_id, created_at)"_qs,
        // One live code per recipient; code_hash is a keyed HMAC, never the code.
        u"CREATE TABLE wallet_codes ("
        "  channel TEXT NOT NULL,"
        "  recipient TEXT NOT NULL,"
        "  code_hash TEXT NOT NULL,"
        "  sent_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  PRIMARY KEY (channel, recipient))"_qs,
        u"CREATE TABLE wallet_challenges ("
        "  nonce TEXT PRIMARY KEY,"
        "  method TEXT NOT NULL,"
        "  address TEXT NOT NULL,"
        "  message_hash TEXT NOT NULL UNIQUE,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  used_at BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX wallet_challenges_expires ON wallet_challenges (expires_at)"_qs,
        u"CREATE TABLE oauth_states ("
        "  state TEXT PRIMARY KEY,"
        "  provider TEXT NOT NULL,"
        "  redirect_uri TEXT NOT NULL,"
        "  code_challenge TEXT NOT NULL,"
        "  created_at BIGINT NOT NULL,"
        "  expires_at BIGINT NOT NULL,"
        "  callback_at BIGINT NOT NULL DEFAULT 0,"
        "  used_at BIGINT NOT NULL DEFAULT 0)"_qs,
        u"CREATE INDEX oauth_states_expires ON oauth_states (expires_at)"_qs,
    };
}
