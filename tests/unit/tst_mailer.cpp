// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secrets.h"
#include "config/settings.h"
#include "delivery/mailer.h"

#include <QTest>

class TestMailer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainAsciiMessage()
    {
        const QByteArray m =
            Mailer::buildMessage(u"Gatehouse <noreply@example.org>"_qs, u"ada@example.com"_qs,
                                 u"Your code"_qs, u"Line one\nLine two\n"_qs, 1'790'000'000'000);
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
        const QByteArray m = Mailer::buildMessage(u"noreply@example.org"_qs, u"a@example.com"_qs,
                                                  u"Grüße"_qs, u"Café ☕"_qs, 0);
        QVERIFY(
            m.contains("Subject: =?UTF-8?B?" + QStringLiteral("Grüße").toUtf8().toBase64() + "?="));
        QVERIFY(m.contains("Content-Transfer-Encoding: base64\r\n\r\n" +
                           QStringLiteral("Café ☕").toUtf8().toBase64() + "\r\n"));
    }

    void headerValuesCannotInjectHeaders()
    {
        const QByteArray m = Mailer::buildMessage(u"noreply@example.org"_qs,
                                                  u"a@example.com\r\nBcc: evil@example.net"_qs,
                                                  u"Hi\r\nBcc: evil@example.net"_qs, u"x"_qs, 0);
        QVERIFY(!m.contains("\r\nBcc:"));
    }

    void fromAddressDefaultsToThePublicHost()
    {
        Settings settings;
        Secrets secrets;
        settings.publicUrl = u"https://auth.example.org"_qs;
        QCOMPARE(Mailer(settings, secrets).fromAddress(),
                 u"Gatehouse <gatehouse@auth.example.org>"_qs);
        settings.publicUrl = u"http://127.0.0.1:3006"_qs;
        QCOMPARE(Mailer(settings, secrets).fromAddress(), u"Gatehouse <gatehouse@localhost>"_qs);
        settings.mailFrom = u"Me <me@example.net>"_qs;
        QCOMPARE(Mailer(settings, secrets).fromAddress(), u"Me <me@example.net>"_qs);
        QVERIFY(!Mailer(settings, secrets).configured());
    }

    void badUrlsFailWithoutSending()
    {
        Settings settings;
        Secrets secrets;
        settings.smtpUrl = u"http://example.org"_qs;
        const auto sent = Mailer(settings, secrets).send(u"a@example.com"_qs, u"s"_qs, u"b"_qs);
        QVERIFY(!sent.ok());
        QVERIFY(sent.error().contains(u"smtp://"));
    }
};

QTEST_APPLESS_MAIN(TestMailer)
#include "tst_mailer.moc"
