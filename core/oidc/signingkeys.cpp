// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/signingkeys.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/aead.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "refusal.h"
#include "storage/database.h"
#include "storage/storageerror.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

struct SigningKeys::Entry
{
    KeyInfo info;
    QJsonObject publicJwk;
    std::optional<JwsSigner> signer; // current keys only; empty when it cannot be opened
};

struct SigningKeys::Snapshot
{
    qint64 loadedAt = 0;
    QList<Entry> entries; // newest first
    QString problem;      // why a current key could not be opened, empty when none

    const Entry *current(const QString &alg) const
    {
        for (const Entry &e : entries)
            if (e.info.alg == alg && e.info.retiredAt == 0)
                return &e;
        return nullptr;
    }
    std::optional<JwsSigner> openedSigner(const QString &kid) const
    {
        for (const Entry &e : entries)
            if (e.info.kid == kid && e.signer)
                return e.signer;
        return std::nullopt;
    }
};

namespace {

// Serialises key creation and rotation across instances on PostgreSQL (SQLite's
// BEGIN IMMEDIATE already does); the unique index oidc_keys_current backs it up.
constexpr qint64 kKeysLock = 7212012;

QString algName(SigningKeys::Algorithm alg)
{
    return alg == SigningKeys::Algorithm::RS256 ? u"RS256"_s : u"ES256"_s;
}

void lockKeys(const Database &db)
{
    if (db.dialect() == Dialect::Postgres)
        Sql(db, u"SELECT pg_advisory_xact_lock(%1)"_s.arg(kKeysLock)).exec();
}

} // namespace

SigningKeys::SigningKeys(const Database &db, const Clock &clock, const Secrets &secrets)
    : m_db(db), m_clock(clock), m_secrets(secrets)
{}

SigningKeys::~SigningKeys() = default;

// A key of its own for the private JWKs, derived from the wallet sealing key (which
// every instance on one database already shares, checked at start), so no new secret
// has to be kept and a key for one purpose never opens another's data.
QByteArray SigningKeys::sealKey() const
{
    const QByteArray root = m_secrets.value(SecretName::walletSealKey);
    if (root.size() < Aead::kKeySize)
        throw Refusal(Refusal::Kind::NotConfigured, u"the sealing key is not loaded"_s);
    return Digest::hmacSha256(root, "gatehouse-oidc-signing-key-seal-v1");
}

SigningKeys::KeyInfo SigningKeys::info(const QString &kid, const QString &alg, qint64 createdAt,
                                       qint64 retiredAt) const
{
    return {kid, alg, createdAt, retiredAt, retiredAt > 0 ? retiredAt + m_overlapMs : 0};
}

void SigningKeys::reload() const
{
    QMutexLocker locker(&m_lock);
    m_snapshot.reset();
}

std::shared_ptr<const SigningKeys::Snapshot> SigningKeys::snapshot() const
{
    QMutexLocker locker(&m_lock);
    const qint64 now = m_clock.nowMs();
    if (!m_snapshot || now - m_snapshot->loadedAt >= kFreshMs || now < m_snapshot->loadedAt)
        m_snapshot = load(m_snapshot);
    return m_snapshot;
}

// Reads the table; a current key already open in `previous` is not unsealed again.
std::shared_ptr<const SigningKeys::Snapshot>
SigningKeys::load(const std::shared_ptr<const Snapshot> &previous) const
{
    auto next = std::make_shared<Snapshot>();
    next->loadedAt = m_clock.nowMs();
    Sql q(m_db, u"SELECT kid, alg, public_jwk, sealed_private_jwk, created_at, retired_at "
                u"FROM oidc_keys ORDER BY created_at DESC, kid"_s);
    q.exec();
    while (q.next()) {
        Entry e;
        e.info = info(q.value(u"kid"_s).toString(), q.value(u"alg"_s).toString(),
                      q.value(u"created_at"_s).toLongLong(), q.value(u"retired_at"_s).toLongLong());
        e.publicJwk =
            QJsonDocument::fromJson(q.value(u"public_jwk"_s).toString().toUtf8()).object();
        if (e.info.retiredAt == 0) {
            e.signer = previous ? previous->openedSigner(e.info.kid) : std::nullopt;
            if (!e.signer)
                e.signer = open(e.info.kid, q.value(u"sealed_private_jwk"_s).toString());
            if (!e.signer)
                next->problem =
                    u"cannot open the OpenID signing key %1: it was sealed under another "
                    u"wallet-seal-key (every instance needs the same "
                    u"GATEHOUSE_WALLET_SEAL_KEY)"_s.arg(e.info.kid);
        }
        next->entries.append(std::move(e));
    }
    return next;
}

std::optional<JwsSigner> SigningKeys::open(const QString &kid, const QString &sealed) const
{
    const QByteArray root = m_secrets.value(SecretName::walletSealKey);
    if (root.size() < Aead::kKeySize)
        return std::nullopt;
    const auto plain =
        Aead::open(sealKey(), QByteArray::fromBase64(sealed.toLatin1()), kid.toUtf8());
    if (!plain)
        return std::nullopt;
    auto signer = JwsSigner::fromPrivateJwk(QJsonDocument::fromJson(*plain).object());
    if (signer && signer->kid() != kid)
        return std::nullopt;
    return signer;
}

void SigningKeys::insert(const JwsSigner &signer, qint64 now) const
{
    const QByteArray plain = QJsonDocument(signer.privateJwk()).toJson(QJsonDocument::Compact);
    const QByteArray sealed = Aead::seal(sealKey(), plain, signer.kid().toUtf8());
    if (sealed.isEmpty())
        throw Refusal(Refusal::Kind::Internal, u"cannot seal an OpenID signing key"_s);
    Sql(m_db, u"INSERT INTO oidc_keys (kid, alg, public_jwk, sealed_private_jwk, created_at, "
              u"retired_at) VALUES (:kid, :alg, :public, :sealed, :now, 0)"_s)
        .bind(u":kid"_s, signer.kid())
        .bind(u":alg"_s, algName(signer.algorithm()))
        .bind(u":public"_s,
              QString::fromUtf8(QJsonDocument(signer.publicJwk()).toJson(QJsonDocument::Compact)))
        .bind(u":sealed"_s, QString::fromLatin1(sealed.toBase64()))
        .bind(u":now"_s, now)
        .exec();
}

// The first use of an algorithm: decided in one write transaction, so two instances
// starting together end with one current key (the loser's key is thrown away).
void SigningKeys::createCurrent(Algorithm alg) const
{
    refuseIfUnopened();
    const JwsSigner signer = JwsSigner::generate(alg, Random::urlToken(12));
    try {
        m_db.write([&] {
            lockKeys(m_db);
            Sql q(m_db, u"SELECT COUNT(*) AS n FROM oidc_keys WHERE alg = :alg "
                        u"AND retired_at = 0"_s);
            q.bind(u":alg"_s, algName(alg)).exec();
            if (q.next() && q.value(u"n"_s).toInt() == 0)
                insert(signer, m_clock.nowMs());
        });
    } catch (const StorageError &) {
        // Another instance's key won the unique index first: use that one.
        reload();
        if (!snapshot()->current(algName(alg)))
            throw;
    }
    reload();
}

// Keys this instance cannot open mean it holds another sealing key than the instance
// that made them: it must not add or rotate keys its peers could not open either.
void SigningKeys::refuseIfUnopened() const
{
    if (const auto keys = snapshot(); !keys->problem.isEmpty())
        throw Refusal(Refusal::Kind::NotConfigured, keys->problem);
}

QByteArray SigningKeys::sign(const QJsonObject &payload, Algorithm alg) const
{
    auto keys = snapshot();
    if (!keys->current(algName(alg))) {
        createCurrent(alg);
        keys = snapshot();
    }
    const Entry *entry = keys->current(algName(alg));
    if (!entry)
        throw Refusal(Refusal::Kind::Internal, u"no OpenID signing key"_s);
    if (!entry->signer)
        throw Refusal(Refusal::Kind::NotConfigured, keys->problem);
    return entry->signer->sign(payload); // outside the lock: the key is shared, immutable
}

QJsonObject SigningKeys::jwks() const
{
    auto keys = snapshot();
    for (Algorithm alg : {Algorithm::RS256, Algorithm::ES256}) {
        if (keys->current(algName(alg)))
            continue;
        try {
            createCurrent(alg);
        } catch (const Refusal &) {
            continue; // publish what there is; sign() says what is wrong
        }
        keys = snapshot();
    }
    const qint64 now = m_clock.nowMs();
    QJsonArray out;
    for (const Entry &e : keys->entries)
        if (e.info.retiredAt == 0 || e.info.retiredAt + m_overlapMs > now)
            out.append(e.publicJwk);
    return {{u"keys"_s, out}};
}

QList<SigningKeys::KeyInfo> SigningKeys::list() const
{
    QList<KeyInfo> out;
    for (const Entry &e : snapshot()->entries)
        out.append(info(e.info.kid, e.info.alg, e.info.createdAt, e.info.retiredAt));
    return out;
}

QList<SigningKeys::KeyInfo> SigningKeys::rotate()
{
    const QList<JwsSigner> fresh = {
        JwsSigner::generate(Algorithm::RS256, Random::urlToken(12)),
        JwsSigner::generate(Algorithm::ES256, Random::urlToken(12)),
    };
    refuseIfUnopened();
    qint64 now = 0;
    m_db.write([&] {
        lockKeys(m_db);
        now = m_clock.nowMs();
        Sql(m_db, u"UPDATE oidc_keys SET retired_at = :now WHERE retired_at = 0"_s)
            .bind(u":now"_s, now)
            .exec();
        for (const JwsSigner &signer : fresh)
            insert(signer, now);
    });
    reload();
    QList<KeyInfo> out;
    for (const JwsSigner &signer : fresh)
        out.append(info(signer.kid(), algName(signer.algorithm()), now, 0));
    return out;
}

int SigningKeys::purgeRetired()
{
    int removed = 0;
    m_db.write([&] {
        removed = Sql(m_db, u"DELETE FROM oidc_keys WHERE retired_at > 0 AND retired_at <= :t"_s)
                      .bind(u":t"_s, m_clock.nowMs() - m_overlapMs)
                      .exec()
                      .rowsAffected();
    });
    if (removed > 0)
        reload();
    return removed;
}
