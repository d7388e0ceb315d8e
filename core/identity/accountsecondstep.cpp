// SPDX-License-Identifier: GPL-3.0-or-later
// Accounts: the second step of a login (a TOTP code or a recovery code after the password).
#include "identity/accounts.h"

#include "config/settings.h"
#include "crypto/passwordhasher.h"
#include "identity/audit.h"
#include "identity/factors.h"
#include "identity/secondstep.h"

using namespace Qt::StringLiterals;

std::optional<PendingSecondStep> Accounts::beginSecondStep(const User &user, const QString &ip)
{
    const QStringList kinds = m_factors.kinds(user.id);
    if (kinds.isEmpty()) {
        if (!user.isAdmin || !m_settings.requireAdminSecondFactor)
            return std::nullopt;
        audit({.actor = user.id,
               .action = u"account.login"_s,
               .subject = u"user:"_s + user.id,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"admin without a second factor"_s});
        throw Refusal(Refusal::Kind::Forbidden,
                      u"administrators must set up a second factor before signing in; "
                      u"ask another administrator to turn off "
                      u"security/require_admin_second_factor while you enrol"_s);
    }
    PendingSecondStep pending;
    if (kinds.contains(Factors::kTotp))
        pending.methods << Factors::kTotp;
    if (kinds.contains(Factors::kPasskey))
        pending.methods << Factors::kPasskey;
    if (m_factors.recoveryCodesLeft(user.id) > 0)
        pending.methods << u"recovery_code"_s;
    pending.challenge = m_secondStep.begin(user.id);
    pending.expiresInSecs = m_secondStep.lifetimeSecs();
    audit({.actor = user.id,
           .action = u"account.login"_s,
           .subject = u"user:"_s + user.id,
           .ip = ip,
           .result = u"pending"_s,
           .detail = u"second factor required"_s});
    return pending;
}

Accounts::Grant Accounts::completeSecondStep(const QString &challenge, SecondFactor method,
                                             const QString &code, const QString &ip)
{
    const Result<QString> userId = m_secondStep.countTry(challenge);
    if (!userId)
        throw userId.refusal();
    const Result<Done> checked = method == SecondFactor::Totp
                                     ? m_factors.checkTotp(*userId, code, ip)
                                     : m_factors.useRecoveryCode(*userId, code, ip);
    if (!checked) {
        if (checked.refusal().kind == Refusal::Kind::NotFound) // no TOTP factor: just wrong
            throw Refusal(Refusal::Kind::WrongCode, u"the code is wrong"_s);
        throw checked.refusal();
    }
    return grantSecondStep(
        challenge, method == SecondFactor::Totp ? u"with a TOTP code"_s : u"with a recovery code"_s,
        ip);
}

Accounts::Grant Accounts::grantSecondStep(const QString &challenge, const QString &how,
                                          const QString &ip)
{
    const Result<QString> finished = m_secondStep.finish(challenge);
    if (!finished)
        throw finished.refusal();
    const auto user = m_users.byId(*finished);
    if (!user || user->disabled)
        throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
    audit({.actor = user->id,
           .action = u"account.login"_s,
           .subject = u"user:"_s + user->id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = how});
    return {issueLoginToken(*user), *user, std::nullopt};
}

bool Accounts::passwordMatches(const User &user, const QString &password) const
{
    const auto fresh = m_users.byId(user.id);
    if (!fresh || fresh->passwordHash.isEmpty()) {
        PasswordHasher::verifyDummy(password.toUtf8());
        return false;
    }
    return PasswordHasher::verify(fresh->passwordHash, password.toUtf8());
}
