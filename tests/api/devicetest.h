// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Helpers shared by the device-surface API tests (tst_deviceapi, tst_deviceaccountapi).
#include "services.h"
#include "storage/database.h"
#include "testserver.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace DeviceTest {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

inline const QString kNotAuthorized = u"The auth id is invalid, expired, or not yet authorized"_s;

inline Headers bearer(const QByteArray &token)
{
    return {{"Authorization", "Bearer " + token}};
}

inline QByteArray form(const QByteArray &code, const QByteArray &decision)
{
    return "code=" + QUrl::toPercentEncoding(QString::fromLatin1(code)) + "&decision=" + decision;
}

inline const Headers kForm = {{"Content-Type", "application/x-www-form-urlencoded"}};

inline QByteArray registerUser(TestServer &server, const QString &username,
                               const QString &email = QString(),
                               const QString &platform = u"cURL"_s)
{
    QJsonObject body{{u"username"_s, username}, {u"session_platform"_s, platform}};
    if (!email.isEmpty())
        body.insert(u"email"_s, email);
    const HttpReply reply = server.client().postJson("/auth/registration", body);
    if (reply.status != 200)
        qWarning() << reply.status << reply.body;
    return reply.json().value(u"session_token").toString().toLatin1();
}

inline void clearMails(TestServer &server)
{
    Sql(*server.services().db, u"DELETE FROM outbox"_s).exec();
}

// Registers and, as the owner of the mailbox would, presses Confirm on the link mailed to
// the address (which binds it), then clears the outbox so tests see only their own mail.
inline QByteArray registerConfirmed(TestServer &server, const QString &username,
                                    const QString &email)
{
    const QByteArray token = registerUser(server, username, email);
    const QRegularExpression re(u"/auth/verify-email\\?code=([A-Za-z0-9_-]+)"_s);
    const QString code = re.match(server.services().outbox.list(1).first().body).captured(1);
    const HttpReply confirmed =
        server.client().request("POST", "/auth/verify-email", "code=" + code.toLatin1(),
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
    if (confirmed.status != 200)
        qWarning() << "confirming" << email << confirmed.status;
    clearMails(server);
    return token;
}

inline HttpReply startLogin(TestServer &server, const QString &username, const QString &email,
                            const QString &platform = u"Phone"_s)
{
    return server.client().postJson(
        "/auth/login",
        {{u"username"_s, username}, {u"email"_s, email}, {u"session_platform"_s, platform}});
}

inline QList<OutboxMessage> mails(TestServer &server)
{
    return server.services().outbox.list(1000);
}

// The code of the newest emailed link to `path` ("/auth/approve").
inline QByteArray codeFromMail(TestServer &server, const QString &path)
{
    const QRegularExpression re(QRegularExpression::escape(path) + u"\\?code=([A-Za-z0-9_-]+)"_s);
    for (const OutboxMessage &m : mails(server)) { // newest first
        const auto match = re.match(m.body);
        if (match.hasMatch())
            return match.captured(1).toLatin1();
    }
    return {};
}

inline HttpReply poll(TestServer &server, const QString &authId)
{
    return server.client().get("/auth/session/" + authId.toLatin1());
}

} // namespace DeviceTest
