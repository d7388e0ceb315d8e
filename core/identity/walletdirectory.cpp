// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/walletdirectory.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/aead.h"
#include "crypto/base58.h"
#include "crypto/digest.h"
#include "crypto/ed25519.h"
#include "crypto/ethaddress.h"
#include "crypto/secp256k1.h"
#include "identity/users.h"
#include "storage/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

const QString kSolana = u"Solana"_s;
const QString kEthereum = u"Ethereum"_s;
const QString kEmbedded = u"Embedded"_s;

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// identities.kind -> the key social_links uses for it.
QString linkLabel(const QString &kind)
{
    static const QHash<QString, QString> labels = {
        {u"email"_s, u"Email"_s},     {u"phone"_s, u"Phone"_s},       {u"google"_s, u"Google"_s},
        {u"twitter"_s, u"Twitter"_s}, {u"telegram"_s, u"Telegram"_s}, {u"apple"_s, u"Apple"_s},
    };
    if (const auto it = labels.constFind(kind); it != labels.cend())
        return *it;
    return kind.isEmpty() ? kind : kind.left(1).toUpper() + kind.mid(1);
}

QByteArray aadFor(const QString &walletId, const QString &network, const QString &address)
{
    return (walletId + u'|' + network + u'|' + address).toUtf8();
}

} // namespace

QJsonObject WalletProfile::toJson() const
{
    QJsonArray walletList;
    for (const WalletInfo &w : wallets)
        walletList.append(QJsonObject{{u"id"_s, w.id},
                                      {u"address"_s, w.address},
                                      {u"network"_s, w.network},
                                      {u"wallet_type"_s, w.walletType}});
    QJsonArray links;
    for (const IdentityKey &identity : identities) {
        if (!WalletDirectory::networkFor(identity.kind).isEmpty())
            continue; // wallet logins show up under wallets
        links.append(QJsonObject{{linkLabel(identity.kind), identity.display}});
    }
    return QJsonObject{{u"id"_s, userId}, {u"wallets"_s, walletList}, {u"social_links"_s, links}};
}

WalletDirectory::WalletDirectory(const Database &db, const Clock &clock, const Secrets &secrets,
                                 Users &users)
    : m_db(db), m_clock(clock), m_secrets(secrets), m_users(users), m_recent(clock, {})
{}

QString WalletDirectory::networkFor(const QString &kind)
{
    if (kind == u"solana")
        return kSolana;
    if (kind == u"ethereum")
        return kEthereum;
    return {};
}

QByteArray WalletDirectory::sealKey() const
{
    return Digest::hmacSha256(m_secrets.value(SecretName::walletSealKey),
                              "gatehouse-wallet-seal-v1");
}

std::optional<QString> WalletDirectory::ownerOf(const QString &kind, const QString &subject) const
{
    Sql q(m_db, u"SELECT user_id FROM identities WHERE kind = :k AND subject = :s"_s);
    q.bind(u":k"_s, kind).bind(u":s"_s, subject).exec();
    if (!q.next())
        return std::nullopt;
    return q.value(u"user_id"_s).toString();
}

void WalletDirectory::insertIdentity(const QString &userId, const IdentityKey &identity, qint64 now)
{
    Sql(m_db, u"INSERT INTO identities (kind, subject, user_id, display, created_at) "
              u"VALUES (:k, :s, :u, :d, :t)"_s)
        .bind(u":k"_s, identity.kind)
        .bind(u":s"_s, identity.subject)
        .bind(u":u"_s, userId)
        .bind(u":d"_s, identity.display.isEmpty() ? identity.subject : identity.display)
        .bind(u":t"_s, now)
        .exec();
}

void WalletDirectory::insertWallet(const QString &userId, const QString &network,
                                   const QString &address, const QString &walletType,
                                   const QByteArray &secret, qint64 now)
{
    const QString id = newId();
    QString sealed = u""_s; // external wallets: empty, never NULL
    if (!secret.isEmpty()) {
        const QByteArray box = Aead::seal(sealKey(), secret, aadFor(id, network, address));
        if (box.isEmpty())
            throw std::runtime_error("cannot seal a wallet key");
        sealed = QString::fromLatin1(box.toBase64());
    }
    // An external wallet already on file (bound before) keeps its row.
    Sql(m_db, u"INSERT INTO wallets (id, user_id, network, address, wallet_type, sealed_key, "
              u"created_at) VALUES (:id, :u, :n, :a, :w, :k, :t) "
              u"ON CONFLICT (network, address) DO NOTHING"_s)
        .bind(u":id"_s, id)
        .bind(u":u"_s, userId)
        .bind(u":n"_s, network)
        .bind(u":a"_s, address)
        .bind(u":w"_s, walletType)
        .bind(u":k"_s, sealed)
        .bind(u":t"_s, now)
        .exec();
}

void WalletDirectory::createEmbeddedWallets(const QString &userId, qint64 now)
{
    const Ed25519::KeyPair solana = Ed25519::generate();
    insertWallet(userId, kSolana, QString::fromLatin1(Base58::encode(solana.publicKey)), kEmbedded,
                 solana.seed, now);
    const Secp256k1::KeyPair ethereum = Secp256k1::generate();
    insertWallet(userId, kEthereum, EthAddress::fromPublicKey(ethereum.publicKey), kEmbedded,
                 ethereum.secret, now);
}

QString WalletDirectory::findOrCreate(const IdentityKey &identity)
{
    QString userId;
    m_db.write([&] {
        if (const auto owner = ownerOf(identity.kind, identity.subject)) {
            userId = *owner;
            return;
        }
        const qint64 now = m_clock.nowMs();
        User draft;
        draft.displayName = networkFor(identity.kind).isEmpty() ? identity.display : QString();
        const auto created = m_users.create(draft);
        if (!created)
            throw std::runtime_error(created.error().toStdString());
        userId = created->id;
        insertIdentity(userId, identity, now);
        createEmbeddedWallets(userId, now);
        if (!identity.walletType.isEmpty())
            insertWallet(userId, networkFor(identity.kind), identity.display, identity.walletType,
                         {}, now);
    });
    forgetWhenWritten(userId);
    return userId;
}

WalletDirectory::Bind WalletDirectory::bind(const QString &userId, const IdentityKey &identity)
{
    Bind outcome = Bind::Linked;
    m_db.write([&] {
        if (const auto owner = ownerOf(identity.kind, identity.subject)) {
            outcome = *owner == userId ? Bind::AlreadyYours : Bind::OwnedByOther;
            return;
        }
        const qint64 now = m_clock.nowMs();
        insertIdentity(userId, identity, now);
        if (!identity.walletType.isEmpty())
            insertWallet(userId, networkFor(identity.kind), identity.display, identity.walletType,
                         {}, now);
    });
    forgetWhenWritten(userId);
    return outcome;
}

std::optional<WalletProfile> WalletDirectory::profile(const QString &userId) const
{
    if (Database::inWrite()) // may see this transaction's own, uncommitted change
        return read(userId);
    if (!m_users.current(userId))
        return std::nullopt;
    return m_recent.get(userId, [&] { return read(userId); });
}

// Forgets now and again once committed (a read on another thread may have loaded the
// old profile in between); a write inside a caller's transaction commits with it.
void WalletDirectory::forgetWhenWritten(const QString &userId) const
{
    m_recent.forget(userId);
    Database::whenWritten([this, userId] { m_recent.forget(userId); });
}

std::optional<WalletProfile> WalletDirectory::read(const QString &userId) const
{
    if (!m_users.byId(userId))
        return std::nullopt;
    WalletProfile p;
    p.userId = userId;
    Sql w(m_db, u"SELECT id, address, network, wallet_type FROM wallets WHERE user_id = :u "
                u"ORDER BY created_at, CASE WHEN wallet_type = 'Embedded' THEN 0 ELSE 1 END, "
                u"network DESC"_s);
    w.bind(u":u"_s, userId).exec();
    while (w.next())
        p.wallets.append({.id = w.value(u"id"_s).toString(),
                          .address = w.value(u"address"_s).toString(),
                          .network = w.value(u"network"_s).toString(),
                          .walletType = w.value(u"wallet_type"_s).toString()});
    Sql i(m_db, u"SELECT kind, subject, display FROM identities WHERE user_id = :u "
                u"ORDER BY created_at, kind"_s);
    i.bind(u":u"_s, userId).exec();
    while (i.next())
        p.identities.append({.kind = i.value(u"kind"_s).toString(),
                             .subject = i.value(u"subject"_s).toString(),
                             .display = i.value(u"display"_s).toString()});
    p.json = QJsonDocument(p.toJson()).toJson(QJsonDocument::Compact);
    return p;
}

std::optional<QByteArray> WalletDirectory::embeddedSecret(const QString &walletId) const
{
    Sql q(m_db, u"SELECT network, address, sealed_key FROM wallets WHERE id = :id"_s);
    q.bind(u":id"_s, walletId).exec();
    if (!q.next() || q.value(u"sealed_key"_s).toString().isEmpty())
        return std::nullopt;
    const QByteArray sealed =
        QByteArray::fromBase64(q.value(u"sealed_key"_s).toString().toLatin1());
    return Aead::open(
        sealKey(), sealed,
        aadFor(walletId, q.value(u"network"_s).toString(), q.value(u"address"_s).toString()));
}
