// SPDX-License-Identifier: GPL-3.0-or-later
// The HTML pages as files (resources/pages/*.html through PageTemplate): every page is
// compiled in, every placeholder is filled and escaped, and the pages the server builds
// name only pages and placeholders that exist (a miss warns, and warnings fail here).
#include "pages/devicepages.h"
#include "pages/pagetemplate.h"
#include "pages/resetpasswordpage.h"

#include <QRegularExpression>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString kHostile = u"<script>alert(\"x\")</script>&'"_s;
const QByteArray kEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";

} // namespace

class TestPages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QTest::failOnWarning(QRegularExpression(u".*"_s)); }

    void escape_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("escaped");
        QTest::newRow("plain") << u"Phone 15"_s << u"Phone 15"_s;
        QTest::newRow("markup") << u"<b>"_s << u"&lt;b&gt;"_s;
        QTest::newRow("ampersand") << u"a&b"_s << u"a&amp;b"_s;
        QTest::newRow("quotes") << u"\"it's\""_s << u"&quot;it&#39;s&quot;"_s;
        QTest::newRow("placeholder-like") << u"{{code}}"_s << u"{{code}}"_s;
    }

    void escape()
    {
        QFETCH(QString, text);
        QFETCH(QString, escaped);
        QCOMPARE(PageTemplate::escape(text), escaped);
    }

    void renderFillsAndEscapes()
    {
        const PageTemplate page(u"<p title=\"{{a}}\">{{b}} and {{a}}</p>"_s);
        QCOMPARE(page.placeholders(), QStringList({u"a"_s, u"b"_s}));
        QCOMPARE(page.render({{u"a"_s, u"1 < 2"_s}, {u"b"_s, u"{{a}}"_s}}),
                 QByteArray("<p title=\"1 &lt; 2\">{{a}} and 1 &lt; 2</p>")); // one pass
    }

    void everyPageFileRenders()
    {
        const auto &pages = PageTemplate::all();
        QVERIFY(pages.size() >= 4);
        for (auto it = pages.begin(); it != pages.end(); ++it) {
            QHash<QString, QString> values;
            for (const QString &name : it->placeholders())
                values.insert(name, kHostile);
            const QByteArray html = it->render(values);
            QVERIFY2(html.startsWith("<!"), qPrintable(it.key()));
            QVERIFY2(html.contains("</html>"), qPrintable(it.key()));
            QVERIFY2(!html.contains("{{"), qPrintable(it.key()));
            QVERIFY2(!html.contains("<script>"), qPrintable(it.key()));
            QVERIFY2(values.isEmpty() || html.contains(kEscaped), qPrintable(it.key()));
        }
    }

    // What the server sends: each page found, each placeholder given (else a warning).
    void serverPages()
    {
        const DevicePages::LoginRequest request{kHostile, kHostile, u"192.0.2.1"_s, 1700000000000,
                                                1700000600000};
        const QList<QByteArray> pages = {
            DevicePages::approveForm(request, kHostile),
            DevicePages::confirmEmailForm(kHostile, kHostile, kHostile),
            DevicePages::notice(kHostile, kHostile),
        };
        for (const QByteArray &html : pages) {
            QVERIFY(html.contains("<link rel=\"stylesheet\" href=\"assets/page.css\">"));
            QVERIFY(html.contains(kEscaped));
            QVERIFY(!html.contains("<script>"));
            QVERIFY(!html.contains("{{"));
        }
        QVERIFY(pages[0].contains("2023-11-14 22:13 UTC"));
        const QByteArray reset = ResetPasswordPage::html();
        QVERIFY(reset.contains(R"(<script src="assets/reset-password.js"></script>)"));
        QCOMPARE(ResetPasswordPage::html(), reset);
    }

    void unknownPageWarns()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"no page .*missing\\.html"_s));
        QVERIFY(PageTemplate::named(u"missing.html"_s).render().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPages)
#include "tst_pages.moc"
