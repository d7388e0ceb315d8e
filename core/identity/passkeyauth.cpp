// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/passkeyauth.h"

#include "clock.h"
#include "config/settings.h"
#include "crypto/base64url.h"
#include "identity/audit.h"
#include "identity/factors.h"
#include "identity/secondstep.h"
#include "identity/users.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

using Kind = PasskeyCeremonies::Kind;

QString b64(QByteArrayView bytes)
{
    return QString::fromLatin1(Base64Url::encode(bytes));
}

QByteArray unb64(const QString &text)
{
    return Base64Url::decode(text.toLatin1()).value_or(QByteArray());
}

// The challenge clientDataJSON carries: how a ceremony is found (the store keeps only
// its hash). WebAuthn::verify*() then checks the rest of clientDataJSON against it.
QByteArray clientChallenge(const QByteArray &clientDataJson)
{
    const QJsonObject data = QJsonDocument::fromJson(clientDataJson).object();
    return unb64(data.value(u"challenge"_s).toString());
}

QList<WebAuthn::CredentialDescriptor> descriptors(const QList<Passkey> &passkeys)
{
    QList<WebAuthn::CredentialDescriptor> out;
    for (const Passkey &p : passkeys)
        out.append({unb64(p.credentialId), p.transports.split(u',', Qt::SkipEmptyParts)});
    return out;
}

} // namespace

PasskeyAuth::PasskeyAuth(const Database &db, Users &users, Accounts &accounts, Factors &factors,
                         SecondStep &secondStep, const Settings &settings, const Clock &clock,
                         AuditLog &audit)
    : m_store(db, clock), m_ceremonies(db, clock, settings.webauthnCeremonySecs * 1000LL),
      m_users(users), m_accounts(accounts), m_factors(factors), m_secondStep(secondStep),
      m_settings(settings), m_clock(clock), m_audit(audit)
{}

WebAuthn::RelyingParty PasskeyAuth::relyingParty() const
{
    WebAuthn::RelyingParty rp = WebAuthn::relyingPartyFor(m_settings.publicUrl, u"Gatehouse"_s);
    if (!m_settings.webauthnRpId.isEmpty())
        rp.id = m_settings.webauthnRpId;
    if (!m_settings.webauthnOrigins.isEmpty())
        rp.origins = m_settings.webauthnOrigins;
    return rp;
}

QJsonObject PasskeyAuth::registrationOptions(const User &user)
{
    const QList<Passkey> existing = m_store.forUser(user.id);
    if (existing.size() >= Passkeys::kMaxPerUser)
        throw Refusal(Refusal::Kind::Forbidden,
                      u"an account has at most %1 passkeys"_s.arg(Passkeys::kMaxPerUser));
    QString handle = m_store.userHandle(user.id);
    if (handle.isEmpty())
        handle = b64(WebAuthn::newUserHandle());
    const auto begun = m_ceremonies.begin(Kind::Register, user.id, handle);
    WebAuthn::CreationOptionsInput input;
    input.challenge = begun.challenge;
    const QString name = user.email.isEmpty() ? user.username : user.email;
    input.user = {unb64(handle), name, user.displayName.isEmpty() ? name : user.displayName};
    input.residentKey = WebAuthn::ResidentKey::Required; // passwordless needs discoverable
    input.excludeCredentials = descriptors(existing);
    input.timeoutMs = int(m_ceremonies.lifetimeMs());
    return WebAuthn::creationOptions(relyingParty(), input);
}

Passkey PasskeyAuth::finishRegistration(const User &user,
                                        const WebAuthn::RegistrationResponse &response,
                                        const QStringList &transports, const QString &label,
                                        const QString &ip)
{
    const QByteArray challenge = clientChallenge(response.clientDataJson);
    const auto pending = m_ceremonies.take(Kind::Register, challenge);
    if (!pending || pending->userId != user.id)
        throw Refusal(Refusal::Kind::TokenExpired,
                      u"the registration expired or was finished already; start again"_s);
    const auto verified = WebAuthn::verifyRegistration(relyingParty(), challenge, false, response);
    if (!verified) {
        audit({.actor = user.id,
               .action = u"account.passkey.register"_s,
               .subject = u"user:"_s + user.id,
               .ip = ip,
               .result = u"denied"_s,
               .detail = verified.refusal().detail});
        const Refusal &why = verified.refusal();
        throw Refusal(Refusal::Kind::InvalidInput,
                      u"the passkey was not accepted (%1)"_s.arg(
                          why.detail.isEmpty() ? why.message : why.detail));
    }
    const WebAuthn::RegisteredCredential &c = *verified;
    if (m_store.byCredentialId(b64(c.credentialId)))
        throw Refusal(Refusal::Kind::InvalidInput, u"this passkey is registered already"_s);
    const Factor factor = m_factors.addPasskey(user.id, label, ip); // a second factor too
    const qint64 now = m_clock.nowMs();
    Passkey p{.credentialId = b64(c.credentialId),
              .userId = user.id,
              .factorId = factor.id,
              .userHandle = pending->userHandle,
              .publicKey = b64(c.publicKeyCose),
              .alg = int(c.alg),
              .signCount = c.signCount,
              .backupEligible = c.backupEligible,
              .backupState = c.backedUp,
              .transports = transports.join(u','),
              .fmt = c.fmt,
              .aaguid = QString::fromLatin1(c.aaguid.toHex()),
              .label = factor.label,
              .createdAt = now,
              .lastUsedAt = 0};
    if (!m_store.add(p)) { // registered by a concurrent request since the check above
        (void)m_factors.remove(user.id, factor.id, user.id, u"account"_s, ip);
        throw Refusal(Refusal::Kind::InvalidInput, u"this passkey is registered already"_s);
    }
    audit({.actor = user.id,
           .action = u"account.passkey.register"_s,
           .subject = u"passkey:"_s + p.credentialId,
           .ip = ip,
           .result = u"ok"_s});
    return p;
}

void PasskeyAuth::rename(const User &user, const QString &credentialId, const QString &label,
                         const QString &ip)
{
    const auto passkey = m_store.byCredentialId(credentialId);
    if (!passkey || passkey->userId != user.id || !m_store.rename(user.id, credentialId, label))
        throw Refusal(Refusal::Kind::NotFound, u"no such passkey"_s);
    (void)m_factors.rename(user.id, passkey->factorId, label, ip); // as /me/factors lists it
    audit({.actor = user.id,
           .action = u"account.passkey.rename"_s,
           .subject = u"passkey:"_s + credentialId,
           .ip = ip,
           .result = u"ok"_s});
}

void PasskeyAuth::remove(const User &user, const QString &credentialId, const QString &ip)
{
    const auto passkey = m_store.byCredentialId(credentialId);
    if (!passkey || passkey->userId != user.id)
        throw Refusal(Refusal::Kind::NotFound, u"no such passkey"_s);
    // The factor row goes, and the passkey with it (ON DELETE CASCADE); so do the recovery
    // codes when it was the last factor, as DELETE /me/factors/{id} does.
    if (!m_factors.remove(user.id, passkey->factorId, user.id, u"account"_s, ip))
        (void)m_store.remove(user.id, credentialId);
    audit({.actor = user.id,
           .action = u"account.passkey.remove"_s,
           .subject = u"passkey:"_s + credentialId,
           .ip = ip,
           .result = u"ok"_s});
}

PasskeyAuth::Started PasskeyAuth::loginOptions()
{
    const auto begun = m_ceremonies.begin(Kind::Login, QString(), QString());
    WebAuthn::RequestOptionsInput input;
    input.challenge = begun.challenge;
    input.userVerification = WebAuthn::UserVerification::Required;
    input.timeoutMs = int(m_ceremonies.lifetimeMs());
    return {WebAuthn::requestOptions(relyingParty(), input), begun.ceremony};
}

Accounts::Grant PasskeyAuth::login(const QString &ceremony,
                                   const WebAuthn::AssertionResponse &response, const QString &ip)
{
    const Passkey passkey = verifyUse(Kind::Login, ceremony, response, QString(), ip);
    const auto user = m_users.byId(passkey.userId);
    if (!user)
        refuse(u"passkey:"_s + passkey.credentialId, ip, u"no such user"_s);
    if (user->disabled) {
        audit({.actor = user->id,
               .action = u"account.passkey.login"_s,
               .subject = u"user:"_s + user->id,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"disabled"_s});
        throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
    }
    audit({.actor = user->id,
           .action = u"account.passkey.login"_s,
           .subject = u"user:"_s + user->id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"passkey:"_s + passkey.credentialId});
    return {m_accounts.issueLoginToken(*user), *user, std::nullopt};
}

PasskeyAuth::Started PasskeyAuth::secondStepOptions(const QString &challenge)
{
    const Result<QString> userId = m_secondStep.peek(challenge);
    if (!userId)
        throw userId.refusal();
    const auto user = m_users.byId(*userId);
    if (!user)
        throw Refusal(Refusal::Kind::TokenInvalid, u"no such sign-in"_s);
    return secondFactorOptions(*user);
}

Accounts::Grant PasskeyAuth::completeSecondStep(const QString &challenge, const QString &ceremony,
                                                const WebAuthn::AssertionResponse &response,
                                                const QString &ip)
{
    const Result<QString> userId = m_secondStep.countTry(challenge);
    if (!userId)
        throw userId.refusal();
    const auto user = m_users.byId(*userId);
    if (!user)
        throw Refusal(Refusal::Kind::TokenInvalid, u"no such sign-in"_s);
    verifySecondFactor(*user, ceremony, response, ip);
    return m_accounts.grantSecondStep(challenge, u"with a passkey"_s, ip);
}

PasskeyAuth::Started PasskeyAuth::secondFactorOptions(const User &user)
{
    const QList<Passkey> passkeys = m_store.forUser(user.id);
    if (passkeys.isEmpty())
        throw Refusal(Refusal::Kind::NotFound, u"this account has no passkey"_s);
    const auto begun = m_ceremonies.begin(Kind::SecondFactor, user.id, QString());
    WebAuthn::RequestOptionsInput input;
    input.challenge = begun.challenge;
    input.allowCredentials = descriptors(passkeys);
    input.timeoutMs = int(m_ceremonies.lifetimeMs());
    return {WebAuthn::requestOptions(relyingParty(), input), begun.ceremony};
}

void PasskeyAuth::verifySecondFactor(const User &user, const QString &ceremony,
                                     const WebAuthn::AssertionResponse &response, const QString &ip)
{
    const Passkey passkey = verifyUse(Kind::SecondFactor, ceremony, response, user.id, ip);
    audit({.actor = user.id,
           .action = u"account.passkey.second-factor"_s,
           .subject = u"user:"_s + user.id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"passkey:"_s + passkey.credentialId});
}

Passkey PasskeyAuth::verifyUse(Kind kind, const QString &ceremony,
                               const WebAuthn::AssertionResponse &response, const QString &userId,
                               const QString &ip)
{
    const QString action =
        kind == Kind::Login ? u"account.passkey.login"_s : u"account.passkey.second-factor"_s;
    const QString subject = userId.isEmpty() ? u"anonymous"_s : u"user:"_s + userId;
    const QByteArray challenge = clientChallenge(response.clientDataJson);
    const auto pending = m_ceremonies.take(kind, challenge, ceremony);
    if (!pending || pending->userId != userId)
        refuse(subject, ip, u"no such ceremony, or used or expired"_s, action);
    const auto passkey = m_store.byCredentialId(b64(response.credentialId));
    if (!passkey || (!userId.isEmpty() && passkey->userId != userId))
        refuse(subject, ip, u"unknown credential"_s, action);
    const auto alg = WebAuthn::algorithmFromCose(passkey->alg);
    if (!alg)
        refuse(subject, ip, u"stored algorithm unknown"_s, action);
    const WebAuthn::StoredCredential stored{
        unb64(passkey->credentialId), unb64(passkey->publicKey), *alg,
        quint32(passkey->signCount),  passkey->backupEligible,   unb64(passkey->userHandle)};
    const bool passwordless = kind == Kind::Login;
    const auto outcome = WebAuthn::verifyAssertion(relyingParty(), challenge, passwordless,
                                                   passwordless, stored, response);
    if (!outcome)
        refuse(u"passkey:"_s + passkey->credentialId, ip, outcome.refusal().detail, action);
    m_store.recordUse(passkey->credentialId, outcome->signCount, outcome->backedUp);
    m_factors.markUsed(passkey->factorId);
    return *passkey;
}

void PasskeyAuth::refuse(const QString &subject, const QString &ip, const QString &why,
                         const QString &action) const
{
    audit({.actor = u"anonymous"_s,
           .action = action,
           .subject = subject,
           .ip = ip,
           .result = u"denied"_s,
           .detail = why});
    throw Refusal(Refusal::Kind::BadCredentials, u"the passkey was not accepted"_s);
}

void PasskeyAuth::audit(AuditEvent event) const
{
    event.surface = u"account"_s;
    m_audit.record(std::move(event));
}
