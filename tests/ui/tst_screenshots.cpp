// SPDX-License-Identifier: GPL-3.0-or-later
// Saves a 1280x800 picture of every console page into $GATEHOUSE_SCREENSHOT_DIR (skipped
// when it is not set) over a server with some believable data and traffic:
//   GATEHOUSE_SCREENSHOT_DIR=docs/screenshots xvfb-run -a build/tests/ui_screenshots
#include "consoletesting.h"

#include "crypto/passwordhasher.h"
#include "dialogs/firstrundialog.h"
#include "dialogs/userdetailsdialog.h"
#include "models/usertablemodel.h"
#include "pages/namespacespage.h"
#include "pages/outboxpage.h"
#include "pages/overviewpage.h"
#include "pages/rolespage.h"
#include "pages/settingspage.h"
#include "pages/tokenspage.h"
#include "pages/userspage.h"
#include "services.h"

#include <QDir>
#include <QLineEdit>
#include <QRandomGenerator>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace {

const char *const kPeople[][3] = {
    {"amelia", "Amelia Hart", "amelia.hart@example.org"},
    {"bruno", "Bruno Costa", "bruno@costa.example"},
    {"chen.wei", "Chen Wei", "chen.wei@example.org"},
    {"dora", "Dora Márquez", "dora@example.org"},
    {"eli_k", "Eli Katz", "eli.katz@mail.test"},
    {"fatima", "Fatima Noor", "fatima.noor@example.org"},
    {"gus", "Gus Olsen", ""},
    {"hana.s", "Hana Sato", "hana@sato.example"},
    {"ivan.p", "Ivan Petrov", "ivan.petrov@example.org"},
    {"jules", "Jules Bernard", "jules@bernard.example"},
    {"kofi", "Kofi Mensah", "kofi.mensah@example.org"},
    {"lena", "Lena Vogel", "lena.vogel@mail.test"},
    {"marta.r", "Marta Rossi", "marta.rossi@example.org"},
    {"nils", "Nils Berg", ""},
    {"olga", "Olga Ivanova", "olga@example.org"},
    {"priya", "Priya Raman", "priya.raman@example.org"},
    {"quinn", "Quinn Avery", "quinn@avery.example"},
    {"rafael", "Rafael Lima", "rafael.lima@mail.test"},
    {"sofia", "Sofia Andersson", "sofia.a@example.org"},
    {"tom.b", "Tom Brennan", "tom.brennan@example.org"},
    {"uma", "Uma Desai", "uma.desai@example.org"},
    {"viktor", "Viktor Horvat", ""},
    {"wen", "Wen Li", "wen.li@example.org"},
    {"yusuf", "Yusuf Demir", "yusuf.demir@mail.test"},
    {"zoe", "Zoe Clarke", "zoe.clarke@example.org"},
};

void seed(TestServer &server)
{
    Services &s = server.services();
    FakeClock &clock = server.clock();
    const qint64 now = clock.nowMs();
    clock.setMs(now - 86'400'000LL * 40);
    const QString hash = PasswordHasher::hash("correct horse battery");
    const QString pin = PasswordHasher::hash("2468");
    QStringList ids;
    for (int round = 0; round < 6; ++round) {
        int i = 0;
        for (const auto &person : kPeople) {
            User u;
            u.username =
                QString::fromUtf8(person[0]) + (round ? QString::number(round + 1) : QString());
            u.displayName = QString::fromUtf8(person[1]);
            if (*person[2])
                u.email = (round ? QString::number(round + 1) + u'.' : QString()) +
                          QString::fromUtf8(person[2]);
            u.emailVerified = (i % 3) != 0;
            u.passwordHash = u.email.isEmpty() ? QString() : hash;
            u.pinHash = (i % 4 == 0) ? pin : QString();
            u.role = i % 9 == 0 ? u"manager"_s : i % 5 == 0 ? u"staff"_s : u"user"_s;
            u.isAdmin = round == 0 && i == 0;
            u.disabled = (i + round) % 11 == 0;
            auto created = s.users.create(u);
            if (created)
                ids << created->id;
            clock.advanceMs(3'600'000LL * 5 + 1234 * i);
            ++i;
        }
    }
    clock.setMs(now - 3'600'000);
    const char *labels[] = {"iOS 18",          "Android 15",     "cURL",
                            "Chrome on macOS", "POS terminal 2", "Firefox on Linux"};
    const QString kinds[] = {TokenKind::device, TokenKind::refresh, TokenKind::apiToken,
                             TokenKind::wallet};
    for (int i = 0; i < 40; ++i) {
        s.tokens.issue(kinds[i % 4], ids.at((i * 7) % ids.size()),
                       QByteArray::number(i) + "-secret", (i % 4 == 2 ? 15LL : 30LL) * 86'400'000,
                       QString::fromLatin1(labels[i % 6]));
        clock.advanceMs(61'000);
    }
    for (const char *ns : {"pos-shop", "mobile-app", "staging", "support-bot"})
        (void)s.namespaces.add(QString::fromLatin1(ns), u"console"_s);
    s.namespaces.setDisabled(u"staging"_s, true);
    // OpenID Connect clients (the Clients page).
    const char *apps[][3] = {
        {"Grafana", "https://grafana.example.org/login/generic_oauth", ""},
        {"Gitea", "https://git.example.org/user/oauth2/gatehouse/callback", "1"},
        {"Nextcloud", "https://cloud.example.org/apps/user_oidc/code", ""},
        {"Shop app", "org.example.shop:/oauth2redirect", "p"}};
    for (const auto &app : apps) {
        OidcClient c;
        c.name = QString::fromLatin1(app[0]);
        c.redirectUris = {QString::fromLatin1(app[1])};
        c.scopes = {u"openid"_s, u"profile"_s, u"email"_s, u"offline_access"_s};
        c.firstParty = *app[2] == '1';
        c.isPublic = *app[2] == 'p';
        (void)s.oidc.clients.add(c);
    }
    const char *tg[][3] = {{"5170042211", "anna_k", "Anna"},
                           {"6021873355", "mike_s", "Mike"},
                           {"4400918872", "", "Jo"},
                           {"7788120034", "r.nguyen", "Rosa"}};
    for (const auto &t : tg)
        s.telegramBindings.bind({QString::fromLatin1(t[0]), u"pos-shop"_s, u"fp"_s,
                                 QString::fromLatin1(t[1]), QString::fromLatin1(t[2]), QString(),
                                 clock.nowMs()});
    s.outbox.enqueueEmail(u"amelia.hart@example.org"_s, u"Your Gatehouse sign-in code"_s,
                          u"Your code is 482913. It is valid for 10 minutes.\n\nIf you did not ask "
                          u"for it, ignore this message."_s);
    s.outbox.enqueueEmail(u"dora@example.org"_s, u"Approve your sign-in"_s,
                          u"Someone is signing in to your account from cURL.\nOpen this link and "
                          u"press Approve if it was you:\nhttp://127.0.0.1:3006/auth/approve/"
                          u"2c1e…\n"_s);
    s.outbox.enqueueSms(u"+4915112345678"_s, u"Gatehouse code: 771204"_s);
    s.outbox.enqueueEmail(u"olga@example.org"_s, u"Reset your password"_s,
                          u"Open http://127.0.0.1:3006/reset-password?token=… to choose a new "
                          u"password."_s);
    // A wallet-surface user: Google sign-in, a linked MetaMask, embedded wallets.
    WalletDirectory &wallets = s.walletAuth.directory();
    const QString nadia = wallets.findOrCreate(
        {u"google"_s, u"109876543210"_s, u"nadia.k@gmail.example"_s, QString()});
    (void)wallets.bind(nadia, {u"ethereum"_s, u"0x52908400098527886e0f7030069857d2e4169ee7"_s,
                               u"0x52908400098527886E0F7030069857D2E4169EE7"_s, u"Metamask"_s});
    s.tokens.issue(TokenKind::wallet, nadia, "nadia-session", 7 * 86'400'000LL, u"Safari on iOS"_s);
    clock.setMs(now + (2 * 60 + 13) * 60'000); // the server has been up a while
}

// Some traffic, different each second, so the charts have a shape.
void traffic(TestServer &server, OverviewPage *overview)
{
    QRandomGenerator random(42);
    HttpClient client = server.client();
    const QString good = QString::fromLatin1(TestServer::kCliApiToken) + u":pos-shop"_s;
    for (int second = 0; second < 60; ++second) {
        const int requests = 3 + int(8 + 7 * std::sin(second / 6.0)) + int(random.bounded(5));
        for (int i = 0; i < requests; ++i) {
            const bool fail = random.bounded(100) < (second > 40 && second < 48 ? 45 : 6);
            (void)client.postJson("/api/auth",
                                  {{u"accessToken"_s, fail ? u"guess:pos-shop"_s : good}});
        }
        if (second % 9 == 4)
            (void)client.postJson("/auth/login", {{u"name"_s, u"gus"_s}, {u"pin"_s, u"1111"_s}});
        server.clock().advanceMs(1000);
        overview->sample();
    }
}

} // namespace

class TstScreenshots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPage();
};

void TstScreenshots::everyPage()
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set GATEHOUSE_SCREENSHOT_DIR to save screenshots");
    QVERIFY(QDir().mkpath(dir));

    ConsoleFixture f([](Settings &s) {
        s.oauthProviders.insert(u"google"_s,
                                {u"google"_s, u"1234-abc.apps.googleusercontent.com"_s, QString(),
                                 QString(), QString(), QString(), QString()});
        s.oauthProviders.insert(u"keycloak"_s, {u"keycloak"_s, u"gatehouse"_s, QString(),
                                                u"https://sso.example.org/realms/main"_s, QString(),
                                                QString(), QString()});
        s.redirectAllowlist = {u"https://app.example.org/"_s, u"myapp://callback"_s};
    });
    seed(f.server);
    MainWindow &window = *f.window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(f.settle());
    traffic(f.server, window.overview());
    window.checkDefaultAdmin(false);
    QTest::qWait(1500); // the live feed picks everything up
    QVERIFY(f.settle());

    // A selected row on the pages that have a panel for it.
    window.users()->view()->selectRow(7);
    window.namespaces()->select(u"pos-shop"_s);
    window.outbox()->view()->selectRow(1);
    window.roles()->view()->selectRow(1); // cashier
    QVERIFY(f.settle());

    for (int i = 0; i < MainWindow::PageCount; ++i) {
        window.showPage(i);
        QVERIFY(f.settle());
        QTest::qWait(150);
        const QString path = QDir(dir).filePath(MainWindow::pageName(i) + u".png"_s);
        QVERIFY2(window.grab().save(path), qPrintable(path));
        qInfo("saved %s", qPrintable(path));
    }

    // The lower half of the settings: providers and storage.
    window.showPage(MainWindow::SettingsPage_);
    window.settings()->reveal(window.settings()->database);
    QTest::qWait(150);
    QVERIFY(window.grab().save(QDir(dir).filePath(u"settings-providers.png"_s)));

    // The welcome dialog of a first start, and one user's sessions.
    const auto admin = f.server.services().users.byUsername(u"admin"_s);
    QVERIFY(admin);
    ConsoleContext context{f.server.services(), f.control, f.secretStore, window.workers(),
                           window.live()};
    FirstRunDialog welcome(context, *admin, &window);
    welcome.show();
    QVERIFY(QTest::qWaitForWindowExposed(&welcome));
    QTest::qWait(100);
    QVERIFY(welcome.grab().save(QDir(dir).filePath(u"first-run.png"_s)));
    welcome.close();

    const auto user = window.users()->model()->userAt(7);
    QVERIFY(user);
    UserDetailsDialog details(context, *user, &window);
    details.show();
    QVERIFY(QTest::qWaitForWindowExposed(&details));
    QVERIFY(f.settle());
    QTest::qWait(100);
    QVERIFY(details.grab().save(QDir(dir).filePath(u"user-details.png"_s)));
    details.close();

    const auto nadia = f.server.services().users.byId(f.server.services()
                                                          .walletAuth.directory()
                                                          .ownerOf(u"google"_s, u"109876543210"_s)
                                                          .value_or(QString()));
    QVERIFY(nadia);
    UserDetailsDialog identities(context, *nadia, &window);
    identities.showIdentities();
    identities.show();
    QVERIFY(QTest::qWaitForWindowExposed(&identities));
    QVERIFY(f.settle());
    QTest::qWait(100);
    QVERIFY(identities.grab().save(QDir(dir).filePath(u"user-identities.png"_s)));
}

QTEST_MAIN(TstScreenshots)
#include "tst_screenshots.moc"
