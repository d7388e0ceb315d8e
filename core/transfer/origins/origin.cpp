// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/origins/origin.h"

#include "identity/apitokens.h"
#include "transfer/origins/originsource.h"
#include "transfer/origins/readers.h"
#include "transfer/userimport.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Origins {

namespace {

// No expiry at the origin: ten years here.
constexpr qint64 kNoExpiryMs = 10LL * 365 * 24 * 3600 * 1000;

Result<Read> dispatch(Kind kind, const QSqlDatabase &origin, const Options &options)
{
    switch (kind) {
    case Kind::Lncrawl:
        return readLncrawl(origin, options);
    case Kind::Ambrosia:
        return readAmbrosia(origin, options);
    case Kind::Hapi:
        return readHapi(origin, options);
    }
    return Result<Read>::failure(Refusal::Kind::InvalidInput, u"unknown origin"_s);
}

// Inside the import's transaction: each live origin token for its user's id here.
void storeTokens(ApiTokens &apiTokens, const QList<ApiToken> &tokens,
                 const Transfer::ImportReport &report, qint64 nowMs, Outcome &outcome,
                 const std::function<void()> &step)
{
    for (const ApiToken &t : tokens) {
        const QString userId = report.userIds.value(t.userId);
        const bool live = t.expiresAt == 0 || t.expiresAt > nowMs;
        if (userId.isEmpty() || !live || t.token.size() != ApiTokens::kLength ||
            !apiTokens.adopt(userId, t.token, t.expiresAt == 0 ? nowMs + kNoExpiryMs : t.expiresAt))
            ++outcome.apiTokensSkipped;
        else
            ++outcome.apiTokensCreated;
        step();
    }
}

Result<Outcome> applyRead(const Database &db, ApiTokens *apiTokens, const Read &read,
                          const QString &bindingFingerprint, qint64 nowMs, bool dryRun,
                          const Progress &progress)
{
    Transfer::Document doc = read.document;
    doc.sensitive = true;      // origin hashes come along
    doc.keepHashesHere = true; // but never over a hash already re-hashed here
    const int users = int(doc.users.size());
    const int total = users + (apiTokens ? int(read.apiTokens.size()) : 0);
    Outcome outcome;
    int tokensDone = 0;
    Transfer::Hooks hooks;
    hooks.progress = [&](int done, int) {
        if (progress)
            progress(done, total);
    };
    hooks.inTransaction = [&](const Transfer::ImportReport &report) {
        outcome.apiTokensCreated = outcome.apiTokensSkipped = 0;
        tokensDone = 0;
        if (apiTokens)
            storeTokens(*apiTokens, read.apiTokens, report, nowMs, outcome, [&] {
                if (progress)
                    progress(users + ++tokensDone, total);
            });
    };
    const auto report = Transfer::apply(db, doc, bindingFingerprint, nowMs, dryRun, hooks);
    if (!report)
        return Result<Outcome>::failure(report.refusal());
    outcome.report = *report;
    outcome.notCarried = read.notCarried;
    if (!apiTokens && !read.apiTokens.isEmpty())
        outcome.notCarried << u"%1 API token(s): not stored (no token store given)"_s.arg(
            read.apiTokens.size());
    else if (outcome.apiTokensSkipped > 0)
        outcome.notCarried << u"%1 API token(s) expired, malformed or already here: not "
                              u"stored again"_s.arg(outcome.apiTokensSkipped);
    return outcome;
}

} // namespace

std::optional<Kind> kindFromName(const QString &name)
{
    if (name == u"lncrawl")
        return Kind::Lncrawl;
    if (name == u"ambrosia")
        return Kind::Ambrosia;
    if (name == u"hapi")
        return Kind::Hapi;
    return std::nullopt;
}

QString nameOf(Kind kind)
{
    switch (kind) {
    case Kind::Lncrawl:
        return u"lncrawl"_s;
    case Kind::Ambrosia:
        return u"ambrosia"_s;
    case Kind::Hapi:
        return u"hapi"_s;
    }
    return QString();
}

Result<Read> read(Kind kind, const QString &source, const Options &options)
{
    OriginSource origin;
    if (const auto opened = origin.open(kind, source); !opened)
        return Result<Read>::failure(opened.refusal());
    // Ambrosia keeps its secret in ambrosia.conf beside its database: a data folder
    // given without --ambrosia-secret-file brings its own.
    if (kind == Kind::Ambrosia && options.ambrosiaSecret.isEmpty() && QFileInfo(source).isDir()) {
        Options withSecret = options;
        withSecret.ambrosiaSecret = ambrosiaConfSecret(source);
        return dispatch(kind, origin.database(), withSecret);
    }
    return dispatch(kind, origin.database(), options);
}

Result<Outcome> apply(const Database &db, const Read &read, const QString &bindingFingerprint,
                      qint64 nowMs, bool dryRun, const Progress &progress)
{
    return applyRead(db, nullptr, read, bindingFingerprint, nowMs, dryRun, progress);
}

Result<Outcome> apply(const Database &db, ApiTokens &apiTokens, const Read &read,
                      const QString &bindingFingerprint, qint64 nowMs, bool dryRun,
                      const Progress &progress)
{
    return applyRead(db, &apiTokens, read, bindingFingerprint, nowMs, dryRun, progress);
}

} // namespace Origins
