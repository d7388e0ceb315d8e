// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secrets.h"
#include "config/settings.h"
#include "delivery/mailer.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestMailer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainAsciiMessage()
    {
        const QByteArray m =
            Mailer::buildMessage(u"Gatehouse <noreply@example.org>"_s, u"ada@example.com"_s,
                                 u"Your code"_s, u"Line one\nLine two\n"_s, 1'790'000'000'000);
        QVERIFY(m.startsWith("Date: "));
        QVERIFY(m.contains("\r\nFrom: Gatehouse <noreply@example.org>\r\n"));
        QVERIFY(m.contains("\r\nTo: ada@example.com\r\n"));
        QVERIFY(m.contains("\r\nSubject: Your code\r\n"));
        QVERIFY(m.contains("@example.org>\r\n")); // Message-ID in the sender's domain
        QVERIFY(m.contains("Content-Type: text/plain; charset=utf-8\r\n"));
        QVERIFY(m.contains("Content-Transfer-Encoding: 7bit\r\n\r\nLine one\r\nLine two\r\n"));
        QVERIFY(!m.contains("\n\n")); // every line end is CRLF
    }

    void nonAsciiIsEncoded()
    {
        const QByteArray m = Mailer::buildMessage(u"noreply@example.org"_s, u"a@example.com"_s,
                                                  u"Grüße"_s, u"Café ☕"_s, 0);
        QVERIFY(m.contains("Subject: =?UTF-8?B?" + u"Grüße"_s.toUtf8().toBase64() + "?="));
        QVERIFY(m.contains("Content-Transfer-Encoding: base64\r\n\r\n" +
                           u"Café ☕"_s.toUtf8().toBase64() + "\r\n"));
    }

    void headerValuesCannotInjectHeaders()
    {
        const QByteArray m = Mailer::buildMessage(u"noreply@example.org"_s,
                                                  u"a@example.com\r\nBcc: evil@example.net"_s,
                                                  u"Hi\r\nBcc: evil@example.net"_s, u"x"_s, 0);
        QVERIFY(!m.contains("\r\nBcc:"));
    }

    void fromAddressDefaultsToThePublicHost()
    {
        Settings settings;
        Secrets secrets;
        settings.publicUrl = u"https://auth.example.org"_s;
        QCOMPARE(Mailer(settings, secrets).fromAddress(),
                 u"Gatehouse <gatehouse@auth.example.org>"_s);
        settings.publicUrl = u"http://127.0.0.1:3006"_s;
        QCOMPARE(Mailer(settings, secrets).fromAddress(), u"Gatehouse <gatehouse@localhost>"_s);
        settings.mailFrom = u"Me <me@example.net>"_s;
        QCOMPARE(Mailer(settings, secrets).fromAddress(), u"Me <me@example.net>"_s);
        QVERIFY(!Mailer(settings, secrets).configured());
    }

    void badUrlsFailWithoutSending()
    {
        Settings settings;
        Secrets secrets;
        settings.smtpUrl = u"http://example.org"_s;
        const auto sent = Mailer(settings, secrets).send(u"a@example.com"_s, u"s"_s, u"b"_s);
        QVERIFY(!sent.ok());
        QVERIFY(sent.error().contains(u"smtp://"));
    }
};

QTEST_APPLESS_MAIN(TestMailer)
#include "tst_mailer.moc"
