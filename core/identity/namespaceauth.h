// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

class AuditLog;
struct AuditEvent;
class Clock;
class Database;
class Namespaces;
class Secrets;
class TelegramBindings;

// The namespace surface's logic (seed 000): access tokens `CLI_API_TOKEN:<namespace>`,
// Telegram Mini App logins and bindings, and the JWT `{uid, ns, iat, exp}` they earn.
class NamespaceAuth
{
public:
    struct Options
    {
        bool autoCreate = true;
        int tokenMinutes = 15;
    };
    struct Grant
    {
        QByteArray token;
        qint64 userId = 0;
        QString ns;
        QString username; // Telegram logins only
        QString firstName;
        QString lastName;
    };

    NamespaceAuth(const Database &db, Namespaces &namespaces, TelegramBindings &bindings,
                  const Secrets &secrets, const Clock &clock, AuditLog &audit, Options options);

    // Refusals: BadCredentials (access token), TokenInvalid or TokenExpired (initData, the
    // message says why), NotFound "not_bound", Conflict "already_bound", NotConfigured
    // (no bot token).
    Result<Grant> withAccessToken(const QString &accessToken, const QString &ip);
    Result<Grant> withInitData(const QString &initData, const QString &ip);
    Result<Grant> bind(const QString &initData, const QString &accessToken, const QString &ip);

    // Checks a namespace JWT: signature, expiry, namespace enabled, not signed out.
    Result<QJsonObject> verifyToken(QByteArrayView token) const;
    // `CLI_API_TOKEN:<namespace>`, as the console and CLI show it.
    QString accessTokenFor(const QString &ns) const;
    void setOptions(Options options) { m_options = options; }
    // Ties a Telegram binding to the CLI_API_TOKEN in force (export/import stamp it too).
    QString fingerprint() const;

private:
    // The namespace an access token names, if its secret is right and the namespace usable.
    std::optional<QString> namespaceOf(const QString &accessToken, const QString &ip);
    Grant grant(const QString &ns);
    void audit(AuditEvent event); // actor = subject, surface "namespace"

    const Database &m_db;
    Namespaces &m_namespaces;
    TelegramBindings &m_bindings;
    const Secrets &m_secrets;
    const Clock &m_clock;
    AuditLog &m_audit;
    Options m_options;
    qint64 m_ownerId = 0;
};
