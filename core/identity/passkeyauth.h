// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/accounts.h"
#include "identity/passkeyceremonies.h"
#include "identity/passkeys.h"
#include "identity/webauthn.h"

#include <QJsonObject>

class AuditLog;
class Factors;
class SecondStep;
struct AuditEvent;
class Clock;
class Database;
struct Settings;
class Users;

// Passkey ceremonies of account users (WebAuthn, core/identity/webauthn.h does the
// checks): a signed-in user registers one; anyone signs in with one (discoverable
// credentials, no name typed: the passkey names its user), or uses one as the second
// step after a password. Refusals throw Refusal; every refusal of a sign-in is the same
// BadCredentials whatever failed (unknown credential, bad signature, used ceremony), so
// nothing tells whether a credential exists.
class PasskeyAuth
{
public:
    PasskeyAuth(const Database &db, Users &users, Accounts &accounts, Factors &factors,
                SecondStep &secondStep, const Settings &settings, const Clock &clock,
                AuditLog &audit);

    // The RP id and allowed origins: from public_url unless the webauthn/ settings say.
    WebAuthn::RelyingParty relyingParty() const;
    Passkeys &store() { return m_store; }

    // PublicKeyCredentialCreationOptionsJSON for a new passkey of `user`.
    QJsonObject registrationOptions(const User &user);
    // Verifies and stores the browser's answer to registrationOptions().
    Passkey finishRegistration(const User &user, const WebAuthn::RegistrationResponse &response,
                               const QStringList &transports, const QString &label,
                               const QString &ip);

    // The user's own passkey `credentialId`: NotFound when it is not theirs.
    void rename(const User &user, const QString &credentialId, const QString &label,
                const QString &ip);
    void remove(const User &user, const QString &credentialId, const QString &ip);

    struct Started
    {
        QJsonObject options; // PublicKeyCredentialRequestOptionsJSON
        QString ceremony;
    };
    // Passwordless sign-in: empty allowCredentials, user verification required.
    Started loginOptions();
    // -> the same {token, user} a password login gives.
    Accounts::Grant login(const QString &ceremony, const WebAuthn::AssertionResponse &response,
                          const QString &ip);

    // The second step after a password: the options name the user's own passkeys.
    Started secondFactorOptions(const User &user);
    // Throws BadCredentials unless `response` is a fresh assertion of one of `user`'s
    // passkeys for a ceremony begun by secondFactorOptions(user).
    void verifySecondFactor(const User &user, const QString &ceremony,
                            const WebAuthn::AssertionResponse &response, const QString &ip);
    // The second step of a login (SecondStep `challenge`, from the password) answered
    // with a passkey: options for the challenge's user, then the grant. Every finish
    // counts a try against the challenge, as a code does.
    Started secondStepOptions(const QString &challenge);
    Accounts::Grant completeSecondStep(const QString &challenge, const QString &ceremony,
                                       const WebAuthn::AssertionResponse &response,
                                       const QString &ip);

private:
    // Spends the ceremony, finds the credential and verifies the assertion; the
    // passkey whose use was recorded.
    Passkey verifyUse(PasskeyCeremonies::Kind kind, const QString &ceremony,
                      const WebAuthn::AssertionResponse &response, const QString &userId,
                      const QString &ip);
    [[noreturn]] void refuse(const QString &subject, const QString &ip, const QString &why,
                             const QString &action = u"account.passkey.login"_s) const;
    void audit(AuditEvent event) const; // surface "account"

    Passkeys m_store;
    PasskeyCeremonies m_ceremonies;
    Users &m_users;
    Accounts &m_accounts;
    Factors &m_factors;
    SecondStep &m_secondStep;
    const Settings &m_settings;
    const Clock &m_clock;
    AuditLog &m_audit;
};
