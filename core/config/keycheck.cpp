// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/keycheck.h"

#include "config/secrets.h"
#include "config/settingstable.h"
#include "crypto/digest.h"
#include "storage/database.h"
#include "storage/meta.h"
#include "storage/storageerror.h"

using namespace Qt::StringLiterals;

QStringList sharedSecretNames()
{
    QStringList names;
    for (const SettingSpec *spec : secretSettings())
        if (spec->shared)
            names << spec->key;
    return names;
}

QString secretFingerprint(const QString &name, const QByteArray &value)
{
    const QByteArray mac =
        Digest::hmacSha256(value, "gatehouse-secret-fingerprint-v1:" + name.toUtf8());
    return QString::fromLatin1(mac.left(16).toHex());
}

Result<Done> checkSharedSecrets(const Database &db, const Secrets &secrets)
{
    QStringList differing;
    try {
        for (const QString &name : sharedSecretNames()) {
            const QString mine = secretFingerprint(name, secrets.value(name));
            const QString recorded =
                Meta::getOrCreate(db, u"secret_fingerprint."_s + name, [&mine] { return mine; });
            if (recorded != mine)
                differing << name;
        }
    } catch (const StorageError &error) {
        return Result<Done>::failure(Refusal::Kind::Internal,
                                     u"cannot check the secrets against the "
                                     u"database: %1"_s.arg(QString::fromStdString(error.what())));
    }
    if (differing.isEmpty())
        return Done{};
    return Result<Done>::failure(
        Refusal::Kind::Internal,
        u"this instance's %1 differ%2 from what the database was set up with; "
        u"give every instance the same secrets (--secrets-file or the "
        u"environment, see docs/scaling.md)"_s.arg(differing.join(u", "),
                                                   differing.size() == 1 ? u"s"_s : QString()));
}
