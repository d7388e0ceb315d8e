// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeidentityprovider.h"

#include "crypto/digest.h"
#include "crypto/random.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

QByteArray reply(int status, const QByteArray &body, const QByteArray &extra = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n" +
           extra + "Content-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray json(const QJsonObject &object, int status = 200)
{
    return reply(status, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QHash<QString, QString> parseForm(const QByteArray &body)
{
    QHash<QString, QString> out;
    for (const QByteArray &pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq <= 0)
            continue;
        auto decode = [](QByteArray v) { return QUrl::fromPercentEncoding(v.replace('+', ' ')); };
        out.insert(decode(pair.left(eq)), decode(pair.mid(eq + 1)));
    }
    return out;
}

} // namespace

FakeIdentityProvider::FakeIdentityProvider()
    : m_rsa(JwsSigner::generate(JwsSigner::Algorithm::RS256, u"rsa-1"_s)),
      m_ec(JwsSigner::generate(JwsSigner::Algorithm::ES256, u"ec-1"_s))
{
    m_thread = new QThread;
    m_thread->start();
    QObject *context = new QObject;
    context->moveToThread(m_thread);
    QMetaObject::invokeMethod(
        context,
        [this, context] {
            m_server = new QTcpServer(context);
            m_server->listen(QHostAddress::LocalHost, 0);
            m_port = m_server->serverPort();
            QObject::connect(m_server, &QTcpServer::newConnection, context, [this] {
                while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                    auto buffer = std::make_shared<QByteArray>();
                    QObject::connect(
                        socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                            *buffer += socket->readAll();
                            const qsizetype end = buffer->indexOf("\r\n\r\n");
                            if (end < 0)
                                return;
                            const QList<QByteArray> lines = buffer->left(end).split('\n');
                            const QList<QByteArray> request = lines.value(0).trimmed().split(' ');
                            QList<std::pair<QByteArray, QByteArray>> headers;
                            qint64 length = 0;
                            for (int i = 1; i < lines.size(); ++i) {
                                const qsizetype colon = lines[i].indexOf(':');
                                if (colon <= 0)
                                    continue;
                                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                                headers.append({name, value});
                                if (name == "content-length")
                                    length = value.toLongLong();
                            }
                            if (buffer->size() - (end + 4) < length)
                                return;
                            const QByteArray body = buffer->mid(end + 4, length);
                            socket->write(handle(request.value(0),
                                                 QString::fromUtf8(request.value(1)), headers,
                                                 body));
                            socket->disconnectFromHost();
                        });
                    QObject::connect(socket, &QTcpSocket::disconnected, socket,
                                     &QObject::deleteLater);
                }
            });
        },
        Qt::BlockingQueuedConnection);
    QObject::connect(m_thread, &QThread::finished, context, &QObject::deleteLater);
}

FakeIdentityProvider::~FakeIdentityProvider()
{
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QString FakeIdentityProvider::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_port);
}

void FakeIdentityProvider::setSubject(const QString &subject, const QString &email)
{
    QMutexLocker lock(&m_mutex);
    m_subject = subject;
    m_email = email;
}

void FakeIdentityProvider::setIdTokens(bool on)
{
    QMutexLocker lock(&m_mutex);
    m_idTokens = on;
}

int FakeIdentityProvider::tokenRequests() const
{
    QMutexLocker lock(&m_mutex);
    return m_tokenRequests;
}

QByteArray FakeIdentityProvider::handle(const QByteArray &method, const QString &target,
                                        const QList<std::pair<QByteArray, QByteArray>> &headers,
                                        const QByteArray &body)
{
    const QUrl url(target);
    const QUrlQuery query(url);
    const QString path = url.path();
    QByteArray authorization;
    for (const auto &[name, value] : headers)
        if (name == "authorization")
            authorization = value;
    QMutexLocker lock(&m_mutex);
    const QString base = baseUrl();
    if (path == u"/.well-known/openid-configuration")
        return json({{u"issuer"_s, base},
                     {u"authorization_endpoint"_s, base + u"/authorize"_s},
                     {u"token_endpoint"_s, base + u"/token"_s},
                     {u"userinfo_endpoint"_s, base + u"/userinfo"_s},
                     {u"jwks_uri"_s, base + u"/jwks"_s}});
    if (path == u"/jwks")
        return json({{u"keys"_s, QJsonArray{m_rsa.publicJwk(), m_ec.publicJwk()}}});
    if (path == u"/authorize") {
        if (query.queryItemValue(u"client_id"_s) != QLatin1StringView(kClientId) ||
            query.queryItemValue(u"code_challenge_method"_s) != u"S256")
            return json({{u"error"_s, u"invalid_request"_s}}, 400);
        const QString code = Random::urlToken(16);
        const QString redirect = query.queryItemValue(u"redirect_uri"_s, QUrl::FullyDecoded);
        m_grants.insert(
            code, {query.queryItemValue(u"code_challenge"_s), redirect, m_subject, m_email, false});
        QUrl back(redirect);
        QUrlQuery params;
        params.addQueryItem(u"code"_s, code);
        params.addQueryItem(u"state"_s, query.queryItemValue(u"state"_s, QUrl::FullyDecoded));
        back.setQuery(params);
        return reply(302, {}, "Location: " + back.toEncoded() + "\r\n");
    }
    if (path == u"/token" && method == "POST")
        return token(parseForm(body), authorization);
    if (path == u"/userinfo") {
        const QString subject = m_accessTokens.value(QString::fromLatin1(authorization.mid(7)));
        if (!authorization.startsWith("Bearer ") || subject.isEmpty())
            return json({{u"error"_s, u"invalid_token"_s}}, 401);
        return json({{u"sub"_s, subject}, {u"name"_s, u"Test Person"_s}});
    }
    return json({{u"error"_s, u"not_found"_s}}, 404);
}

QByteArray FakeIdentityProvider::token(const QHash<QString, QString> &form,
                                       const QByteArray &authorization)
{
    ++m_tokenRequests;
    const QByteArray basic = "Basic " + (QByteArray(kClientId) + ':' + kClientSecret).toBase64();
    if (authorization != basic)
        return json({{u"error"_s, u"invalid_client"_s}}, 401);
    const auto grant = m_grants.find(form.value(u"code"_s));
    if (form.value(u"grant_type"_s) != u"authorization_code" || grant == m_grants.end() ||
        grant->used)
        return json({{u"error"_s, u"invalid_grant"_s}, {u"error_description"_s, u"bad code"_s}},
                    400);
    grant->used = true;
    if (form.value(u"redirect_uri"_s) != grant->redirectUri)
        return json({{u"error"_s, u"invalid_grant"_s}, {u"error_description"_s, u"redirect_uri"_s}},
                    400);
    const QString challenge = QString::fromLatin1(
        Digest::sha256(form.value(u"code_verifier"_s).toLatin1())
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    if (challenge != grant->challenge)
        return json({{u"error"_s, u"invalid_grant"_s}, {u"error_description"_s, u"PKCE"_s}}, 400);
    const QString access = Random::urlToken(16);
    m_accessTokens.insert(access, grant->subject);
    QJsonObject out{{u"access_token"_s, access}, {u"token_type"_s, u"Bearer"_s}};
    if (m_idTokens) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        out.insert(u"id_token"_s,
                   QString::fromLatin1(m_rsa.sign({{u"iss"_s, baseUrl()},
                                                   {u"aud"_s, QString::fromLatin1(kClientId)},
                                                   {u"sub"_s, grant->subject},
                                                   {u"email"_s, grant->email},
                                                   {u"email_verified"_s, true},
                                                   {u"iat"_s, now},
                                                   {u"exp"_s, now + 600}})));
    }
    return json(out);
}
