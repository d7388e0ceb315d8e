// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"
#include "transfer/exportdata.h"
#include "transfer/importer.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class ApiTokens;
class Database;

// Importing from the servers behind the seeds (lightnovel-crawler, Ambrosia POS, hapi):
// each origin's database is read, read-only, into the same Document `gatehouse export`
// writes, plus what that format does not carry (API tokens to store hashed, and the
// list of what cannot come along). Transfer::apply then writes it in one transaction,
// so an origin import is as idempotent as a Gatehouse one. Origin password and PIN
// hashes travel in their original encoding; PasswordHasher verifies them on the first
// sign-in and the caller re-hashes to Gatehouse's parameters then. See docs/migrating.md.
namespace Origins {

enum class Kind { Lncrawl, Ambrosia, Hapi };

struct Options
{
    QString ambrosiaSecret; // Ambrosia's configured secret: the PBKDF2 salt prefix of its PINs
    QString hapiNamespace;  // namespace for hapi bindings when its store has none
};

struct ApiToken // an origin API token kept in clear there; stored hashed here
{
    QString userId;
    QString token;
    qint64 createdAt = 0;
    qint64 expiresAt = 0; // 0: no expiry
};

struct Read
{
    Transfer::Document document;
    QList<ApiToken> apiTokens;
    QStringList notCarried; // one line each: what stays behind and why
};

struct Outcome
{
    Transfer::ImportReport report;
    int apiTokensCreated = 0;
    int apiTokensSkipped = 0;
    QStringList notCarried;
};

// (done, total) while applying; called on the applying thread.
using Progress = std::function<void(int done, int total)>;

// `source`: `sqlite:PATH`, `postgresql://…`, or the origin's data folder.
[[nodiscard]] std::optional<Kind> kindFromName(const QString &name);
[[nodiscard]] QString nameOf(Kind kind); // "lncrawl", "ambrosia", "hapi"
Result<Read> read(Kind kind, const QString &source, const Options &options);
// Without `apiTokens` the origin's API tokens are not stored (listed in notCarried);
// callers with Services pass services.apiTokens (the same database as `db`), so the
// tokens are written in the import's transaction, hashed and sealed like Gatehouse's own.
Result<Outcome> apply(const Database &db, const Read &read, const QString &bindingFingerprint,
                      qint64 nowMs, bool dryRun, const Progress &progress = {});
Result<Outcome> apply(const Database &db, ApiTokens &apiTokens, const Read &read,
                      const QString &bindingFingerprint, qint64 nowMs, bool dryRun,
                      const Progress &progress = {});

} // namespace Origins
