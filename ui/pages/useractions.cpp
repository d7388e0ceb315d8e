// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/useractions.h"

#include "adminaudit.h"
#include "consolecontext.h"
#include "crypto/passwordhasher.h"
#include "format.h"
#include "services.h"
#include "widgets/busy.h"
#include "widgets/tables.h"
#include "workers.h"

using namespace Qt::StringLiterals;

namespace {
QString nameOf(const User &u)
{
    return Format::userName(u);
}
} // namespace

UserActions::UserActions(ConsoleContext &context, QWidget *parent)
    : QObject(parent), m_context(context), m_parent(parent)
{}

void UserActions::finish(const QString &action, const Result<bool> &result, const QString &what)
{
    const bool ok = result && *result;
    if (!result)
        PageUi::showError(m_parent, what, result.error());
    else if (!*result)
        PageUi::showError(m_parent, what, tr("The user no longer exists."));
    Q_EMIT done(action, ok);
}

// ---- actions ----------------------------------------------------------------------------

void UserActions::create(const User &draft, const QString &password)
{
    Services &s = m_context.services;
    auto work = [&s, draft, password]() -> QString {
        User u = draft;
        if (!password.isEmpty())
            u.passwordHash = PasswordHasher::hash(password.toUtf8());
        auto created = s.users.create(u);
        if (!created)
            throw created.refusal();
        AdminAudit::record(s.audit,
                           {.action = u"user.add"_s,
                            .subject = created->id,
                            .result = u"ok"_s,
                            .detail = nameOf(*created) +
                                      (password.isEmpty() ? QString() : u" (with password)"_s)});
        return created->id;
    };
    Busy::run(m_parent, m_context.workers, tr("New user"),
              password.isEmpty() ? tr("Creating the user…") : tr("Hashing the password…"), work,
              [this](const QString &) { Q_EMIT done(u"user.add"_s, true); });
}

void UserActions::update(const User &before, const User &after)
{
    Services &s = m_context.services;
    m_context.workers.run(
        m_parent,
        [&s, before, after] {
            QStringList changed;
            if (before.displayName != after.displayName) {
                s.users.setDisplayName(after.id, after.displayName);
                changed << u"display name"_s;
            }
            if (before.email != after.email || before.emailVerified != after.emailVerified) {
                if (!after.email.isEmpty() && after.email != before.email) {
                    if (auto other = s.users.byEmail(after.email); other && other->id != after.id)
                        throw Refusal(Refusal::Kind::Conflict,
                                      u"%1 belongs to another user"_s.arg(after.email));
                }
                s.users.setEmail(after.id, after.email, after.emailVerified);
                changed << u"email"_s;
            }
            if (before.role != after.role || before.isAdmin != after.isAdmin) {
                s.users.setRole(after.id, after.role, after.isAdmin);
                changed << u"role"_s;
            }
            if (!changed.isEmpty())
                AdminAudit::record(s.audit, {.action = u"user.update"_s,
                                             .subject = after.id,
                                             .result = u"ok"_s,
                                             .detail = changed.join(u", "_s)});
            return true;
        },
        [this](Result<bool> r) { finish(u"user.update"_s, r, tr("Edit user")); });
}

void UserActions::setDisabled(const User &user, bool disabled)
{
    Services &s = m_context.services;
    const QString action = disabled ? u"user.disable"_s : u"user.enable"_s;
    m_context.workers.run(
        m_parent,
        [&s, user, disabled, action] {
            const bool done = s.users.setDisabled(user.id, disabled);
            AdminAudit::record(s.audit, {.action = action,
                                         .subject = user.id,
                                         .result = done ? u"ok"_s : u"error"_s,
                                         .detail = nameOf(user)});
            return done;
        },
        [this, action](Result<bool> r) { finish(action, r, tr("Disable user")); });
}

void UserActions::remove(const User &user)
{
    Services &s = m_context.services;
    m_context.workers.run(
        m_parent,
        [&s, user] {
            s.tokens.revokeAllForUser(user.id);
            const bool done = s.users.remove(user.id);
            AdminAudit::record(s.audit, {.action = u"user.delete"_s,
                                         .subject = user.id,
                                         .result = done ? u"ok"_s : u"error"_s,
                                         .detail = nameOf(user)});
            return done;
        },
        [this](Result<bool> r) { finish(u"user.delete"_s, r, tr("Delete user")); });
}

void UserActions::setPassword(const User &user, const QString &password)
{
    Services &s = m_context.services;
    Busy::run(
        m_parent, m_context.workers, tr("Set password"), tr("Hashing the password (argon2id)…"),
        [&s, user, password] {
            // Hashes, stores and records account.password.set with surface "console".
            s.accounts.setPassword(user, password, AdminAudit::kSurface, AdminAudit::kSurface,
                                   u"local"_s);
            return true;
        },
        [this](bool) { Q_EMIT done(u"user.set-password"_s, true); });
}

void UserActions::setPin(const User &user, const QString &pin)
{
    Services &s = m_context.services;
    Busy::run(
        m_parent, m_context.workers, tr("Set PIN"), tr("Hashing the PIN (argon2id)…"),
        [&s, user, pin] {
            auto done = s.pinAuth.setPin(user.username, pin, false, AdminAudit::kSurface,
                                         AdminAudit::kSurface);
            if (!done)
                throw done.refusal();
            return true;
        },
        [this](bool) { Q_EMIT done(u"user.set-pin"_s, true); });
}

void UserActions::signOutEverywhere(const User &user)
{
    Services &s = m_context.services;
    m_context.workers.run(
        m_parent,
        [&s, user] {
            const bool done = s.users.signOutEverywhere(user.id);
            const int revoked = s.tokens.revokeAllForUser(user.id);
            AdminAudit::record(s.audit, {.action = u"user.sign-out-everywhere"_s,
                                         .subject = user.id,
                                         .result = done ? u"ok"_s : u"error"_s,
                                         .detail = u"%1 token(s) revoked"_s.arg(revoked)});
            return done;
        },
        [this](Result<bool> r) {
            finish(u"user.sign-out-everywhere"_s, r, tr("Sign out everywhere"));
        });
}
