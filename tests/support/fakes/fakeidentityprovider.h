// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/jws.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <memory>

using namespace Qt::StringLiterals;

class QThread;
class QTcpServer;

// A small OpenID Connect provider for the API tests, on its own thread and a free
// loopback port (the tests' HttpClient blocks its thread, and the server under test
// calls this provider from its worker pool). It serves discovery, an authorize
// endpoint that "consents" at once (302 back with a code), a token endpoint that checks
// the client, the redirect_uri and the PKCE verifier, userinfo, and a JWKS with one
// RS256 and one ES256 key (also used as Apple's key set).
class FakeIdentityProvider
{
public:
    static constexpr const char *kClientId = "test-client";
    static constexpr const char *kClientSecret = "test-client-secret";

    FakeIdentityProvider();
    ~FakeIdentityProvider();

    QString baseUrl() const; // http://127.0.0.1:PORT, also the issuer
    quint16 port() const { return m_port; }
    // The person the next authorization is for.
    void setSubject(const QString &subject, const QString &email);
    // When set, the token endpoint answers without an id_token (plain OAuth 2.0).
    void setIdTokens(bool on);
    int tokenRequests() const;
    const JwsSigner &rsa() const { return m_rsa; }
    const JwsSigner &ec() const { return m_ec; }

private:
    struct Grant
    {
        QString challenge;
        QString redirectUri;
        QString subject;
        QString email;
        bool used = false;
    };
    QByteArray handle(const QByteArray &method, const QString &target,
                      const QList<std::pair<QByteArray, QByteArray>> &headers,
                      const QByteArray &body);
    QByteArray token(const QHash<QString, QString> &form, const QByteArray &authorization);

    JwsSigner m_rsa;
    JwsSigner m_ec;
    QThread *m_thread = nullptr;
    QTcpServer *m_server = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QString m_subject = u"subject-1"_s;
    QString m_email = u"person@example.com"_s;
    bool m_idTokens = true;
    int m_tokenRequests = 0;
    QHash<QString, Grant> m_grants;         // by code
    QHash<QString, QString> m_accessTokens; // token -> subject
};
