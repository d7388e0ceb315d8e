// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/namespaces.h"
#include "transfer/origins/originquery.h"
#include "transfer/origins/readers.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

// hapi's hub (tiann/hapi, hub/src/store/index.ts and users.ts): its `users` table is
// (id, platform, platform_user_id, namespace, created_at), UNIQUE (platform,
// platform_user_id), one row per Telegram account bound with /api/bind; `namespace` is
// the `:<namespace>` suffix of the access token it was bound with (stores made before
// namespaces have no such column: Options::hapiNamespace, else "default", as hapi's
// parseAccessToken). Each row becomes a Telegram binding in that namespace; the
// namespaces themselves are created. hapi keeps no Telegram names (they arrive with each
// sign-in), so the bindings carry none.
namespace Origins {

namespace {

const QString kTelegram = u"telegram"_s;

struct Tally
{
    QHash<QString, int> otherPlatforms;
    QHash<QString, qint64> namespaces; // name -> first binding's time
};

void readBinding(Read &read, const OriginQuery &q, const QString &fallback, Tally &tally)
{
    static const QRegularExpression telegramId(u"^-?[0-9]{1,20}$"_s);
    const QString platform = q.text(u"platform"_s);
    const QString userId = q.text(u"platform_user_id"_s);
    if (platform != kTelegram) {
        ++tally.otherPlatforms[platform];
        return;
    }
    const QString stored = q.text(u"namespace"_s);
    const QString ns = stored.isEmpty() ? fallback : stored;
    if (!telegramId.match(userId).hasMatch()) {
        read.notCarried << u"Telegram user '%1': not a Telegram user id"_s.arg(userId);
        return;
    }
    if (!Namespaces::isValidName(ns)) {
        read.notCarried << u"Telegram user %1: namespace '%2' is not a Gatehouse namespace name "
                           u"(1-64 of A-Z a-z 0-9 . _ -); they bind again with /api/bind"_s.arg(
                               userId, ns);
        return;
    }
    const qint64 at = q.number(u"created_at"_s);
    if (!tally.namespaces.contains(ns) || at < tally.namespaces.value(ns))
        tally.namespaces.insert(ns, at);
    Transfer::TelegramBinding binding;
    binding.telegramUserId = userId;
    binding.ns = ns;
    binding.boundAt = at;
    read.document.telegramBindings << binding;
}

void noteWhatStays(Read &read, const Tally &tally)
{
    for (auto it = tally.otherPlatforms.cbegin(); it != tally.otherPlatforms.cend(); ++it)
        read.notCarried << u"%1 binding(s) of platform '%2': Gatehouse binds Telegram only"_s
                               .arg(it.value())
                               .arg(it.key());
    read.notCarried
        << u"hapi's owner id (owner-id.json): the JWT's uid is Gatehouse's own owner id "
           u"(hapi's web client does not read it)"_s
        << u"hapi's JWTs and its jwt secret: everyone signs in once more (access token or "
           u"Telegram, as before)"_s
        << u"sessions, machines, messages and push subscriptions: hub data, not "
           u"authentication; they stay with hapi"_s;
}

} // namespace

Result<Read> readHapi(const QSqlDatabase &origin, const Options &options)
{
    if (!origin.tables().contains(u"users"_s))
        return Result<Read>::failure(Refusal::Kind::InvalidInput,
                                     u"not a hapi database: no users table"_s);
    const QString fallback = options.hapiNamespace.isEmpty() ? u"default"_s : options.hapiNamespace;
    Read read;
    Tally tally;
    try {
        OriginQuery q(origin, u"SELECT * FROM users ORDER BY created_at, id"_s);
        while (q.next())
            readBinding(read, q, fallback, tally);
    } catch (const OriginError &error) {
        return Result<Read>::failure(Refusal::Kind::InvalidInput,
                                     u"reading hapi's database: "_s + error.message);
    }
    for (auto it = tally.namespaces.cbegin(); it != tally.namespaces.cend(); ++it) {
        Transfer::Namespace ns;
        ns.name = it.key();
        ns.createdBy = u"import:hapi"_s;
        ns.createdAt = it.value();
        read.document.namespaces << ns;
    }
    std::sort(read.document.namespaces.begin(), read.document.namespaces.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    noteWhatStays(read, tally);
    return read;
}

} // namespace Origins
