// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/accounts.h"

#include "clock.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "crypto/jwt.h"
#include "crypto/passwordhasher.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "identity/apitokens.h"
#include "identity/audit.h"
#include "identity/signoutepoch.h"
#include "jsonnumber.h"
#include "storage/database.h"
#include "storage/meta.h"

#include <QJsonArray>
#include <QUrl>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString kLoginPurpose = u"account-login"_s;
const QString kResetPurpose = u"account-password-reset"_s;
const QString kDefaultAdminHashKey = u"account.default_admin_hash"_s;
const QString kDefaultAdminDoneKey = u"account.default_admin_created"_s;

// JWTs signed before the user's latest "sign out everywhere" are refused, exactly.
bool issuedBeforeCutoff(const QJsonObject &claims, const User &user)
{
    return SignOutEpoch::revoked(claims, user.tokensValidAfter);
}

QString subjectOf(const User &user)
{
    return u"user:"_s + user.id;
}

} // namespace

Accounts::Accounts(const Database &db, Users &users, ApiTokens &apiTokens, Outbox &outbox,
                   const Secrets &secrets, const Settings &settings, const Clock &clock,
                   AuditLog &audit, Factors &factors, SecondStep &secondStep, Options options)
    : m_db(db), m_users(users), m_apiTokens(apiTokens), m_outbox(outbox), m_secrets(secrets),
      m_settings(settings), m_clock(clock), m_audit(audit), m_factors(factors),
      m_secondStep(secondStep), m_options(options)
{}

void Accounts::audit(AuditEvent event) const
{
    event.subject = event.subject.left(300);
    event.surface = u"account"_s;
    m_audit.record(std::move(event));
}

void Accounts::ensureDefaultAdmin()
{
    if (!Meta::get(m_db, kDefaultAdminDoneKey).isEmpty())
        return;
    // Hash before taking the seeding lock: argon2id must not hold up other instances.
    const QString hash = PasswordHasher::hash("admin");
    bool created = false;
    // Instances starting together on a fresh database: one of them seeds, the others
    // find it done (the check and the insert are under one lock).
    Meta::seed(m_db, [&] {
        if (!Meta::get(m_db, kDefaultAdminDoneKey).isEmpty())
            return;
        if (!m_users.byUsername(kDefaultAdmin) &&
            m_users.count({QString(), 0, 1, false, true}) == 0) {
            User admin;
            admin.username = kDefaultAdmin;
            admin.displayName = u"Server Admin"_s;
            admin.role = u"admin"_s;
            admin.isAdmin = true;
            admin.emailVerified = false;
            admin.passwordHash = hash;
            if (m_users.create(admin)) {
                Meta::set(m_db, kDefaultAdminHashKey, admin.passwordHash);
                created = true;
            }
        }
        Meta::set(m_db, kDefaultAdminDoneKey, u"1"_s);
    });
    if (created)
        audit({.actor = u"system"_s,
               .action = u"user.add"_s,
               .subject = u"user:admin"_s,
               .ip = u"local"_s,
               .result = u"ok"_s,
               .detail = u"default admin account created"_s});
}

bool Accounts::defaultAdminPasswordUnchanged() const
{
    const QString hash = Meta::get(m_db, kDefaultAdminHashKey);
    if (hash.isEmpty())
        return false;
    const auto admin = m_users.byUsername(kDefaultAdmin);
    return admin && !admin->disabled && admin->passwordHash == hash;
}

QString Accounts::passwordProblem(const User &user, const QString &password)
{
    if (password.size() < kMinPasswordLength)
        return u"must be at least %1 characters long"_s.arg(kMinPasswordLength);
    if (password.size() > kMaxPasswordLength)
        return u"must be at most %1 characters long"_s.arg(kMaxPasswordLength);
    if (password.trimmed().isEmpty())
        return u"must not be blank"_s;
    if (!user.username.isEmpty() && password.compare(user.username, Qt::CaseInsensitive) == 0)
        return u"must not be the same as the username"_s;
    return QString();
}

QByteArray Accounts::issueLoginToken(const User &user) const
{
    QJsonArray scopes{user.role};
    if (user.isAdmin && user.role != u"admin")
        scopes.append(u"admin"_s);
    const qint64 now = m_clock.nowSecs();
    QJsonObject claims{{u"sub"_s, user.id},
                       {u"scopes"_s, scopes},
                       {u"iat"_s, now},
                       {u"exp"_s, now + m_options.loginLifetimeSecs}};
    SignOutEpoch::stamp(claims, user.tokensValidAfter);
    return Jwt(m_secrets.signingKey(), kLoginPurpose).sign(claims);
}

Accounts::Grant Accounts::login(const QString &emailOrUsername, const QString &password,
                                const QString &ip)
{
    const QString login = emailOrUsername.trimmed();
    const auto user = login.isEmpty() ? std::nullopt : m_users.byLogin(login);
    if (!user || user->passwordHash.isEmpty()) {
        PasswordHasher::verifyDummy(password.toUtf8()); // same time as a real check
        audit({.actor = u"anonymous"_s,
               .action = u"account.login"_s,
               .subject = login,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"unknown account"_s});
        throw Refusal(Refusal::Kind::BadCredentials, u"wrong email or password"_s);
    }
    if (!PasswordHasher::verify(user->passwordHash, password.toUtf8())) {
        audit({.actor = user->id,
               .action = u"account.login"_s,
               .subject = subjectOf(*user),
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"wrong password"_s});
        throw Refusal(Refusal::Kind::BadCredentials, u"wrong email or password"_s);
    }
    if (user->disabled) {
        audit({.actor = user->id,
               .action = u"account.login"_s,
               .subject = subjectOf(*user),
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"disabled"_s});
        throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
    }
    if (auto pending = beginSecondStep(*user, ip))
        return {QByteArray(), *user, std::move(pending)};
    audit({.actor = user->id,
           .action = u"account.login"_s,
           .subject = subjectOf(*user),
           .ip = ip,
           .result = u"ok"_s});
    return {issueLoginToken(*user), *user, std::nullopt};
}

Accounts::Grant Accounts::signup(const SignupRequest &request, const QString &ip)
{
    const QString email = request.email.trimmed().toLower();
    if (!Users::isValidEmail(email))
        throw Refusal(Refusal::Kind::InvalidInput, u"field 'email' is not a valid email address"_s);
    if (const QString problem = passwordProblem(User(), request.password); !problem.isEmpty())
        throw Refusal(Refusal::Kind::InvalidInput, u"field 'password' "_s + problem);
    const auto referrer = m_apiTokens.activeOwner(request.referrer.trimmed());
    if (!referrer) {
        audit({.actor = u"anonymous"_s,
               .action = u"account.signup"_s,
               .subject = email,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"invalid referrer token"_s});
        throw Refusal(Refusal::Kind::TokenInvalid, u"the referrer token is invalid or expired"_s);
    }
    if (m_users.byEmail(email))
        throw Refusal(Refusal::Kind::Conflict, u"an account with this email exists"_s);
    User draft;
    draft.email = email;
    draft.displayName = request.name.trimmed();
    draft.referrerId = referrer->id;
    draft.passwordHash = PasswordHasher::hash(request.password.toUtf8());
    auto created = m_users.create(draft);
    if (!created)
        throw Refusal(Refusal::Kind::Conflict, u"an account with this email exists"_s);
    audit({.actor = created->id,
           .action = u"account.signup"_s,
           .subject = subjectOf(*created),
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"referrer "_s + referrer->id});
    return {issueLoginToken(*created), *created, std::nullopt};
}

User Accounts::authenticate(QByteArrayView bearerToken) const
{
    if (bearerToken.isEmpty())
        throw Refusal(Refusal::Kind::BadCredentials, u"missing bearer token"_s);
    const auto claims =
        Jwt(m_secrets.signingKey(), kLoginPurpose).verify(bearerToken, m_clock.nowSecs());
    if (!claims)
        throw Refusal(Refusal::Kind::BadCredentials, claims.error());
    const QString sub = claims->value(u"sub").toString();
    const auto user = sub.isEmpty() ? std::nullopt : m_users.byId(sub);
    if (!user)
        throw Refusal(Refusal::Kind::BadCredentials, u"the token's account does not exist"_s);
    if (issuedBeforeCutoff(*claims, *user))
        throw Refusal(Refusal::Kind::BadCredentials, u"the token was revoked"_s);
    if (user->disabled)
        throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
    return *user;
}

void Accounts::setDisplayName(const User &user, const QString &name, const QString &ip)
{
    m_users.setDisplayName(user.id, name);
    audit({.actor = user.id,
           .action = u"account.name"_s,
           .subject = subjectOf(user),
           .ip = ip,
           .result = u"ok"_s});
}

void Accounts::changePassword(const User &user, const QString &oldPassword,
                              const QString &newPassword, const QString &ip)
{
    if (user.passwordHash.isEmpty() ||
        !PasswordHasher::verify(user.passwordHash, oldPassword.toUtf8())) {
        audit({.actor = user.id,
               .action = u"account.password.change"_s,
               .subject = subjectOf(user),
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"wrong current password"_s});
        throw Refusal(Refusal::Kind::BadCredentials, u"the current password is wrong"_s);
    }
    setPassword(user, newPassword, user.id, u"account"_s, ip);
}

void Accounts::setPassword(const User &user, const QString &newPassword, const QString &actor,
                           const QString &surface, const QString &ip)
{
    if (const QString problem = passwordProblem(user, newPassword); !problem.isEmpty())
        throw Refusal(Refusal::Kind::InvalidInput, u"the new password "_s + problem);
    const QString hash = PasswordHasher::hash(newPassword.toUtf8());
    m_users.setPasswordHash(user.id, hash);
    m_audit.record({.actor = actor,
                    .action = u"account.password.set"_s,
                    .subject = subjectOf(user),
                    .surface = surface,
                    .ip = ip,
                    .result = u"ok"_s});
}

QByteArray Accounts::issueResetToken(const User &user) const
{
    const qint64 now = m_clock.nowSecs();
    QJsonObject claims{{u"sub"_s, user.id},
                       {u"jti"_s, Random::urlToken(16)},
                       {u"iat"_s, now},
                       {u"exp"_s, now + m_options.resetLifetimeSecs}};
    SignOutEpoch::stamp(claims, user.tokensValidAfter);
    return Jwt(m_secrets.signingKey(), kResetPurpose).sign(claims);
}

void Accounts::requestPasswordReset(const QString &email, const QString &ip)
{
    const QString address = email.trimmed().toLower();
    const auto user = Users::isValidEmail(address) ? m_users.byEmail(address) : std::nullopt;
    if (!user || user->disabled) {
        audit({.actor = u"anonymous"_s,
               .action = u"account.password.reset_request"_s,
               .subject = address,
               .ip = ip,
               .result = u"ignored"_s,
               .detail = u"no active account"_s});
        return;
    }
    const qint64 now = m_clock.nowMs();
    {
        QMutexLocker lock(&m_cooldownMutex);
        const qint64 last = m_resetSentAt.value(user->id, -1);
        if (last >= 0 && now - last < m_options.resetCooldownSecs * 1000) {
            audit({.actor = u"anonymous"_s,
                   .action = u"account.password.reset_request"_s,
                   .subject = subjectOf(*user),
                   .ip = ip,
                   .result = u"ignored"_s,
                   .detail = u"asked again too soon"_s});
            return;
        }
        m_resetSentAt.insert(user->id, now);
    }
    const QString link = m_settings.publicUrl + u"/reset-password?token="_s +
                         QString::fromLatin1(issueResetToken(*user));
    const qint64 minutes = m_options.resetLifetimeSecs / 60;
    m_outbox.enqueueEmail(user->email, u"Reset your Gatehouse password"_s,
                          u"Someone, hopefully you, asked to reset the password of the account "
                          u"%1.\n\nOpen this link within %2 minutes to choose a new password "
                          u"(it works once):\n\n%3\n\nIf you did not ask for this, ignore this "
                          u"email: your password stays as it is.\n"_s.arg(user->email)
                              .arg(minutes)
                              .arg(Outbox::secret(link)));
    audit({.actor = u"anonymous"_s,
           .action = u"account.password.reset_request"_s,
           .subject = subjectOf(*user),
           .ip = ip,
           .result = u"ok"_s});
}

Accounts::ResetClaims Accounts::verifyResetToken(QByteArrayView resetToken) const
{
    using K = Refusal::Kind;
    const auto claims =
        Jwt(m_secrets.signingKey(), kResetPurpose).verify(resetToken, m_clock.nowSecs());
    if (!claims)
        throw Refusal(K::BadCredentials, u"the reset link is invalid or expired"_s);
    const QString jti = claims->value(u"jti").toString();
    const auto user = m_users.byId(claims->value(u"sub").toString());
    if (!user || jti.isEmpty())
        throw Refusal(K::BadCredentials, u"the reset link is no longer valid"_s);
    Sql used(m_db, u"SELECT 1 FROM account_used_tokens WHERE jti = :jti"_s);
    if (used.bind(u":jti"_s, jti).exec().next())
        throw Refusal(K::BadCredentials, u"the reset link was already used"_s);
    if (issuedBeforeCutoff(*claims, *user)) // a later reset or "sign out everywhere"
        throw Refusal(K::BadCredentials, u"the reset link is no longer valid"_s);
    if (user->disabled)
        throw Refusal(K::Inactive, u"this account is disabled"_s);
    return {*claims, *user};
}

User Accounts::resetTokenOwner(QByteArrayView resetToken) const
{
    return verifyResetToken(resetToken).user;
}

void Accounts::deactivate(const User &user, const QString &ip)
{
    if (user.isAdmin) {
        const QList<User> admins = m_users.list({QString(), 0, 10000, false, true});
        const bool another = std::any_of(admins.begin(), admins.end(), [&](const User &u) {
            return u.id != user.id && !u.disabled;
        });
        if (!another) {
            audit({.actor = user.id,
                   .action = u"account.deactivate"_s,
                   .subject = subjectOf(user),
                   .ip = ip,
                   .result = u"denied"_s,
                   .detail = u"last active admin"_s});
            throw Refusal(Refusal::Kind::LastAdmin,
                          u"this is the only active admin account; make another admin "
                          u"first"_s);
        }
    }
    m_db.write([&] {
        m_users.setDisabled(user.id, true);
        m_users.signOutEverywhere(user.id);
    });
    audit({.actor = user.id,
           .action = u"account.deactivate"_s,
           .subject = subjectOf(user),
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"closed by its owner"_s});
}

void Accounts::resetPassword(QByteArrayView resetToken, const QString &newPassword,
                             const QString &ip)
{
    using K = Refusal::Kind;
    const ResetClaims reset = verifyResetToken(resetToken);
    const QJsonObject &claims = reset.claims;
    const User &user = reset.user;
    const QString jti = claims.value(u"jti").toString();
    if (const QString problem = passwordProblem(user, newPassword); !problem.isEmpty())
        throw Refusal(K::InvalidInput, u"field 'password' "_s + problem);

    const QString hash = PasswordHasher::hash(newPassword.toUtf8()); // slow, outside the lock
    const qint64 now = m_clock.nowMs();
    bool fresh = false;
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM account_used_tokens WHERE expires_at < :now"_s)
            .bind(u":now"_s, now)
            .exec();
        Sql spend(m_db, u"INSERT INTO account_used_tokens (jti, user_id, used_at, expires_at) "
                        u"VALUES (:jti, :user, :now, :expires) ON CONFLICT (jti) DO NOTHING"_s);
        spend.bind(u":jti"_s, jti)
            .bind(u":user"_s, user.id)
            .bind(u":now"_s, now)
            .bind(u":expires"_s, jsonInteger(claims.value(u"exp")).value_or(0) * 1000);
        fresh = spend.exec().rowsAffected() == 1;
        if (!fresh)
            return; // spent meanwhile, by a request on another thread or instance
        m_users.setPasswordHash(user.id, hash);
        if (!user.email.isEmpty())
            m_users.setEmailVerified(user.id, true); // the link proved the mailbox
        m_users.signOutEverywhere(user.id);
    });
    if (!fresh)
        throw Refusal(K::BadCredentials, u"the reset link was already used"_s);
    audit({.actor = user.id,
           .action = u"account.password.reset"_s,
           .subject = subjectOf(user),
           .ip = ip,
           .result = u"ok"_s});
}
