// SPDX-License-Identifier: GPL-3.0-or-later
// The admin console, offscreen, over a real in-process server: each page's main
// action, the live updates, the settings round trip and the single-instance guard.
#include "consoletesting.h"

#include "crypto/passwordhasher.h"
#include "dialogs/firstrundialog.h"
#include "dialogs/userdetailsdialog.h"
#include "livefeed.h"
#include "models/usertablemodel.h"
#include "pages/auditpage.h"
#include "pages/namespacespage.h"
#include "pages/outboxpage.h"
#include "pages/overviewpage.h"
#include "pages/settingspage.h"
#include "pages/tokenspage.h"
#include "pages/useractions.h"
#include "pages/userspage.h"
#include "services.h"
#include "singleinstance.h"
#include "testcertificates.h"
#include "widgets/oauthtable.h"
#include "widgets/policyfields.h"
#include "widgets/ratechart.h"
#include "widgets/secretfield.h"
#include "widgets/tlsfields.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <thread>

using namespace Qt::StringLiterals;

using Headers = QList<std::pair<QByteArray, QByteArray>>;

class TstConsole : public QObject
{
    Q_OBJECT

private:
    static QList<AuditEvent> consoleEvents(Services &services, const QString &action)
    {
        services.audit.flush();
        AuditFilter f;
        f.surface = u"console"_s;
        QList<AuditEvent> out;
        for (const AuditEvent &e : services.audit.query(f))
            if (e.action == action)
                out << e;
        return out;
    }

private Q_SLOTS:
    void opensEveryPage();
    void namespaceCreateShowsTokenAndDisableRefusesLogins();
    void namespaceUnbind();
    void revokedRefreshTokenFailsOverHttp();
    void userActions();
    void setPasswordAndPin();
    void usersSearch();
    void userDetailsShowTokensIdentitiesAndWallets();
    void liveUpdatesWithinASecond();
    void overviewChartsAndEvents();
    void auditPageFiltersAndPages();
    void outboxShowsHeldMessages();
    void settingsRoundTrip();
    void settingsRejectsBadInput();
    void settingsHttps();
    void defaultAdminDetected();
    void firstRunWalkThrough();
    void secondInstanceRaisesFirst();
    void keyboardReachesEveryPage();
    void closingKeepsServing();
};

void TstConsole::opensEveryPage()
{
    ConsoleFixture f;
    QVERIFY(f.settle());
    for (int i = 0; i < MainWindow::PageCount; ++i) {
        f.window->showPage(i);
        QCOMPARE(f.window->currentPage(), i);
        QCOMPARE(f.window->page(i)->objectName(), MainWindow::pageName(i));
    }
}

void TstConsole::namespaceCreateShowsTokenAndDisableRefusesLogins()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    NamespacesPage *page = f.window->namespaces();
    QVERIFY(f.settle());
    QSignalSpy done(page, &NamespacesPage::actionDone);
    page->createNamespace(u"team-a"_s);
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(done.at(0).at(1).toBool());
    QVERIFY(f.settle());

    // Created, selected, and its token on screen and on the clipboard.
    QVERIFY(services.namespaces.find(u"team-a"_s));
    QCOMPARE(page->selectedName(), u"team-a"_s);
    const QString token = services.namespaceAuth.accessTokenFor(u"team-a"_s);
    QCOMPARE(page->tokenField()->text(), token);
    QCOMPARE(token, QString::fromLatin1(TestServer::kCliApiToken) + u":team-a"_s);
    page->copyToken(u"team-a"_s);
    QCOMPARE(QApplication::clipboard()->text(), token);

    // The token works over HTTP…
    HttpReply reply = f.server.client().postJson("/api/auth", {{u"accessToken"_s, token}});
    QCOMPARE(reply.status, 200);
    // …until the namespace is disabled.
    page->setDisabled(u"team-a"_s, true);
    QTRY_COMPARE(done.size(), 3);
    QVERIFY(services.namespaces.find(u"team-a"_s)->disabled);
    QTRY_VERIFY_WITH_TIMEOUT(
        f.server.client().postJson("/api/auth", {{u"accessToken"_s, token}}).status == 401, 5000);

    // A duplicate is refused in a dialog, not silently.
    page->createNamespace(u"team-a"_s);
    QTRY_COMPARE(done.size(), 4);
    QVERIFY(!done.at(3).at(1).toBool());

    QCOMPARE(consoleEvents(services, u"namespace.add"_s).size(), 1);
    QCOMPARE(consoleEvents(services, u"namespace.disable"_s).size(), 1);
    QCOMPARE(consoleEvents(services, u"namespace.token.copy"_s).size(), 1);
}

void TstConsole::namespaceUnbind()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    QVERIFY(services.namespaces.add(u"shop"_s, u"test"_s).ok());
    services.telegramBindings.bind(
        {u"4242"_s, u"shop"_s, u"fp"_s, u"alice"_s, u"Alice"_s, u"A."_s, services.clock.nowMs()});
    NamespacesPage *page = f.window->namespaces();
    QVERIFY(f.settle());
    page->reload();
    QVERIFY(f.settle());
    QVERIFY(page->select(u"shop"_s));
    QVERIFY(f.settle());
    QCOMPARE(page->bindings()->rowCount(), 1);
    QCOMPARE(page->bindings()->at(0)->username, u"alice"_s);

    QSignalSpy done(page, &NamespacesPage::actionDone);
    page->unbind(u"4242"_s);
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(f.settle());
    QVERIFY(!services.telegramBindings.find(u"4242"_s));
    QCOMPARE(page->bindings()->rowCount(), 0);
    QCOMPARE(consoleEvents(services, u"telegram.unbind"_s).size(), 1);
}

void TstConsole::revokedRefreshTokenFailsOverHttp()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    QVERIFY(services.pinAuth.setPin(u"cashier1"_s, u"2468"_s, true, u"test"_s).ok());
    const HttpReply login = f.server.client().postJson(
        "/auth/login", {{u"name"_s, u"cashier1"_s}, {u"pin"_s, u"2468"_s}});
    QCOMPARE(login.status, 200);
    const QByteArray refresh = login.cookie("refreshToken");
    QVERIFY(!refresh.isEmpty());
    const Headers cookie = {{"Cookie", "refreshToken=" + refresh}};
    QCOMPARE(f.server.client().request("POST", "/auth/refresh", {}, cookie).status, 200);

    TokensPage *page = f.window->tokens();
    page->userField()->setText(u"cashier1"_s);
    page->reload();
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 1);
    const IssuedToken token = page->model()->at(0)->token;
    QCOMPARE(token.kind, TokenKind::refresh);
    QCOMPARE(page->model()->at(0)->userName, u"cashier1"_s);

    // Filtering by another kind hides it.
    page->kindFilter()->setCurrentIndex(page->kindFilter()->findData(TokenKind::apiToken));
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 0);
    page->kindFilter()->setCurrentIndex(0);
    QVERIFY(f.settle());

    QSignalSpy done(page, &TokensPage::actionDone);
    page->view()->selectRow(0);
    page->revokeSelected();
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(done.at(0).at(1).toBool());
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 0); // live tokens only
    QVERIFY(!services.tokens.byId(token.id)->live(services.clock.nowMs()));
    QCOMPARE(f.server.client().request("POST", "/auth/refresh", {}, cookie).status, 401);
    const auto events = consoleEvents(services, u"token.revoke"_s);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.at(0).subject, token.id);
}

void TstConsole::userActions()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    UsersPage *page = f.window->users();
    QVERIFY(f.settle());
    QSignalSpy done(page, &UsersPage::actionDone);

    User draft;
    draft.username = u"Dora"_s;
    draft.email = u"dora@example.org"_s;
    draft.displayName = u"Dora D."_s;
    page->actions()->create(draft, QString());
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(f.settle());
    auto dora = services.users.byUsername(u"dora"_s);
    QVERIFY(dora);
    QCOMPARE(dora->displayName, u"Dora D."_s);
    QTRY_VERIFY(page->model()->rowOf(dora->id) >= 0);

    User edited = *dora;
    edited.displayName = u"Dora Explorer"_s;
    edited.role = u"manager"_s;
    edited.isAdmin = true;
    page->actions()->update(*dora, edited);
    QTRY_COMPARE(done.size(), 2);
    dora = services.users.byId(dora->id);
    QCOMPARE(dora->displayName, u"Dora Explorer"_s);
    QCOMPARE(dora->role, u"manager"_s);
    QVERIFY(dora->isAdmin);

    page->actions()->setDisabled(*dora, true);
    QTRY_COMPARE(done.size(), 3);
    QVERIFY(services.users.byId(dora->id)->disabled);

    const IssuedToken t = services.tokens.issue(TokenKind::device, dora->id, "secret-1", 3600'000);
    page->actions()->signOutEverywhere(*dora);
    QTRY_COMPARE(done.size(), 4);
    QVERIFY(!services.tokens.byId(t.id)->live(services.clock.nowMs()));
    QVERIFY(services.users.byId(dora->id)->tokensValidAfter > 0);

    page->actions()->remove(*dora);
    QTRY_COMPARE(done.size(), 5);
    QVERIFY(!services.users.byId(dora->id));
    for (const QList<QVariant> &args : std::as_const(done))
        QVERIFY(args.at(1).toBool());

    for (const char *action :
         {"user.add", "user.update", "user.disable", "user.sign-out-everywhere", "user.delete"})
        QCOMPARE(consoleEvents(services, QString::fromLatin1(action)).size(), 1);
}

void TstConsole::setPasswordAndPin()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    UsersPage *page = f.window->users();
    QVERIFY(f.settle());
    QSignalSpy done(page, &UsersPage::actionDone);
    User draft;
    draft.username = u"erin"_s;
    draft.email = u"erin@example.org"_s;
    page->actions()->create(draft, u"first-password"_s);
    QTRY_VERIFY_WITH_TIMEOUT(done.size() == 1, 10000);
    auto erin = services.users.byUsername(u"erin"_s);
    QVERIFY(erin);
    QVERIFY(PasswordHasher::verify(erin->passwordHash, "first-password"));

    page->actions()->setPassword(*erin, u"second-password"_s);
    QTRY_VERIFY_WITH_TIMEOUT(done.size() == 2, 10000);
    erin = services.users.byId(erin->id);
    QVERIFY(PasswordHasher::verify(erin->passwordHash, "second-password"));

    page->actions()->setPin(*erin, u"1357"_s);
    QTRY_VERIFY_WITH_TIMEOUT(done.size() == 3, 10000);
    QCOMPARE(f.server.client()
                 .postJson("/auth/login", {{u"name"_s, u"erin"_s}, {u"pin"_s, u"1357"_s}})
                 .status,
             200);
    services.audit.flush();
    AuditFilter filter;
    filter.surface = u"console"_s;
    QStringList actions;
    for (const AuditEvent &e : services.audit.query(filter))
        actions << e.action;
    QVERIFY2(actions.contains(u"account.password.set"_s), qPrintable(actions.join(u' ')));
    QVERIFY2(actions.contains(u"user.set-pin"_s), qPrintable(actions.join(u' ')));
}

void TstConsole::usersSearch()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    for (const char *name : {"alice", "alina", "bob", "carol"}) {
        User u;
        u.username = QString::fromLatin1(name);
        u.email = QString::fromLatin1(name) + u"@example.org"_s;
        u.displayName = u"Zed "_s + QString::fromLatin1(name);
        QVERIFY(services.users.create(u).ok());
        f.server.clock().advanceMs(10); // listed oldest first
    }
    UsersPage *page = f.window->users();
    const qint64 all = services.users.count();      // the four, plus the default admin
    QTRY_COMPARE(page->model()->totalCount(), all); // the live feed notices them
    page->searchField()->setText(u"ALI"_s);
    QTRY_COMPARE(page->model()->totalCount(), 2);
    QVERIFY(f.settle());
    QCOMPARE(page->model()->userAt(0)->username, u"alice"_s);
    QCOMPARE(page->model()->data(page->model()->index(1, UserTableModel::Username)).toString(),
             u"alina"_s);
    page->searchField()->setText(u"zed b"_s); // display names, case-insensitive
    QTRY_COMPARE(page->model()->totalCount(), 1);
    page->searchField()->setText(u"carol@"_s); // emails
    QTRY_COMPARE(page->model()->totalCount(), 1);
    page->searchField()->clear();
    QTRY_COMPARE(page->model()->totalCount(), all);
}

void TstConsole::userDetailsShowTokensIdentitiesAndWallets()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    // A wallet-surface user: an email identity and the two embedded wallets.
    const QString id = services.walletAuth.directory().findOrCreate(
        {u"email"_s, u"wally@example.org"_s, u"wally@example.org"_s, QString()});
    QVERIFY(!id.isEmpty());
    const IssuedToken t =
        services.tokens.issue(TokenKind::wallet, id, "w-secret", 3600'000, u"Firefox"_s);
    ConsoleContext context{services, f.control, f.secretStore, f.window->workers(),
                           f.window->live()};
    UserDetailsDialog dialog(context, *services.users.byId(id));
    QVERIFY(f.settle());
    QCOMPARE(dialog.tokens()->rowCount(), 1);
    QCOMPARE(dialog.tokens()->at(0)->token.id, t.id);
    QCOMPARE(dialog.wallets()->rowCount(), 2);
    QStringList networks;
    for (const auto &row : dialog.wallets()->rows())
        networks << row.first.section(u' ', 0, 0);
    networks.sort();
    QCOMPARE(networks, QStringList({u"Ethereum"_s, u"Solana"_s}));
    bool emailIdentity = false;
    for (const auto &row : dialog.identities()->rows())
        emailIdentity |= row.second.contains(u"wally@example.org"_s);
    QVERIFY(emailIdentity);

    // Revoking from the dialog ends the session.
    QSignalSpy reloaded(&dialog, &UserDetailsDialog::reloaded);
    dialog.tokenView()->selectRow(0);
    dialog.revokeSelected();
    QTRY_VERIFY(!reloaded.isEmpty());
    QVERIFY(f.settle());
    QCOMPARE(dialog.tokens()->rowCount(), 0);
    QVERIFY(!services.tokens.byId(t.id)->live(services.clock.nowMs()));
}

void TstConsole::liveUpdatesWithinASecond()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    QVERIFY(f.settle());
    UsersPage *users = f.window->users();
    NamespacesPage *namespaces = f.window->namespaces();
    TokensPage *tokens = f.window->tokens();
    const qint64 before = users->model()->totalCount();

    // Changes made behind the console's back (as the CLI or another instance would):
    // no signal, only the database.
    User u;
    u.username = u"from-cli"_s;
    QVERIFY(services.users.create(u).ok());
    QVERIFY(services.namespaces.add(u"from-cli"_s, u"cli"_s).ok());
    const auto issued = services.tokens.issue(
        TokenKind::apiToken, services.users.byUsername(u"from-cli"_s)->id, "api-secret", 3600'000);
    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(users->model()->totalCount() == before + 1 &&
                                 namespaces->model()->rowCount() == 1 &&
                                 tokens->model()->rowCount() == 1,
                             3000);
    qInfo() << "console saw changes from outside after" << timer.elapsed() << "ms";
    QVERIFY2(timer.elapsed() < 2000, "live updates should arrive within about a second");

    // A session revoked elsewhere leaves the Tokens page the same way.
    QVERIFY(services.tokens.revoke(issued.id));
    timer.restart();
    QTRY_VERIFY_WITH_TIMEOUT(tokens->model()->rowCount() == 0, 3000);
    qInfo() << "console saw the revocation after" << timer.elapsed() << "ms";
    QVERIFY2(timer.elapsed() < 2000, "live updates should arrive within about a second");

    // A change over HTTP shows too (and its audit event arrives on the audit page).
    QCOMPARE(f.server.client()
                 .postJson("/api/auth",
                           {{u"accessToken"_s,
                             QString::fromLatin1(TestServer::kCliApiToken) + u":from-http"_s}})
                 .status,
             200);
    QTRY_VERIFY_WITH_TIMEOUT(namespaces->model()->rowCount() == 2, 2000);
    QTRY_VERIFY_WITH_TIMEOUT(f.window->audit()->model()->rowCount() > 0 &&
                                 f.window->audit()->model()->at(0)->action.startsWith(u"namespace"),
                             2000);
}

void TstConsole::overviewChartsAndEvents()
{
    ConsoleFixture f;
    OverviewPage *page = f.window->overview();
    QVERIFY(f.settle());
    page->sample(); // start a fresh second
    const QString good = QString::fromLatin1(TestServer::kCliApiToken) + u":ov"_s;
    for (int i = 0; i < 3; ++i)
        QCOMPARE(f.server.client().postJson("/api/auth", {{u"accessToken"_s, good}}).status, 200);
    QCOMPARE(f.server.client().postJson("/api/auth", {{u"accessToken"_s, u"wrong:ov"_s}}).status,
             401);
    page->sample();
    QVERIFY(page->requestChart()->samples().last() >= 4);
    QCOMPARE(page->failureChart()->samples().last(), 1.0);
    // Four events; the three identical ones may be one row with repeats 3 (AuditEvent::repeats).
    const auto shownEvents = [page] {
        int n = 0;
        for (const AuditEvent &e : page->events()->rows())
            n += e.repeats;
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shownEvents() >= 4, 3000);
    QVERIFY(page->events()->at(0)->action.startsWith(u"namespace"));

    // Stop and start through ServerControl.
    QVERIFY(page->stateLabel()->text().contains(u"Serving"));
    f.control.stop();
    QVERIFY(page->stateLabel()->text().contains(u"Stopped"));
    QCOMPARE(page->startStopButton()->text(), u"&Start server"_s);
    QVERIFY(f.control.start().ok());
    QVERIFY(page->stateLabel()->text().contains(u"Serving"));
}

void TstConsole::auditPageFiltersAndPages()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    for (int i = 0; i < 450; ++i)
        services.audit.record({.actor = u"tester"_s,
                               .action = u"test.event"_s,
                               .subject = QString::number(i),
                               .surface = i % 3 ? u"pin"_s : u"device"_s,
                               .ip = u"127.0.0.1"_s,
                               .result = i % 5 ? u"ok"_s : u"denied"_s});
    services.audit.flush();
    AuditPage *page = f.window->audit();
    page->reload();
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 200);
    QVERIFY(page->model()->canFetchMore({}));
    page->model()->fetchMore({});
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 400);
    // Newest first, no gaps between pages.
    for (int r = 1; r < page->model()->rowCount(); ++r)
        QVERIFY(page->model()->at(r)->id < page->model()->at(r - 1)->id);

    page->surfaceFilter()->setCurrentIndex(page->surfaceFilter()->findData(u"device"_s));
    page->resultFilter()->setCurrentIndex(page->resultFilter()->findData(u"denied"_s));
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 30); // i % 15 == 0
    // Text that every event has keeps all 30; text in some subjects keeps only those
    // (0, 15, …, 435 with a "5": 15, 45, 75, 105, 135, 150, 165, 195, 225, 255, 285, 315,
    // 345, 375, 405, 435); text in none empties the table.
    page->textFilter()->setText(u"test.ev"_s);
    QTest::qWait(300);
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 30);
    page->textFilter()->setText(u"5"_s);
    QTest::qWait(300);
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 16);
    for (int r = 0; r < page->model()->rowCount(); ++r)
        QVERIFY(page->model()->at(r)->subject.contains(u'5'));
    page->textFilter()->setText(u"no such text"_s);
    QTest::qWait(300);
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 0);
}

void TstConsole::outboxShowsHeldMessages()
{
    ConsoleFixture f; // no SMTP server, no SMS gateway: messages are held
    Services &services = f.server.services();
    const qint64 id =
        services.outbox.enqueueEmail(u"dora@example.org"_s, u"Your code"_s, u"Code: 123456"_s);
    OutboxPage *page = f.window->outbox();
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->rowCount() == 1, 3000);
    QCOMPARE(page->model()->at(0)->id, id);
    QCOMPARE(page->model()->at(0)->state, u"held"_s);
    // Resending without a gateway is refused with a reason.
    QSignalSpy done(page, &OutboxPage::actionDone);
    page->resend(id);
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(!done.at(0).at(1).toBool());
}

void TstConsole::settingsRoundTrip()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    SettingsPage *page = f.window->settings();
    QVERIFY(f.settle());

    page->listen->setText(u"127.0.0.1:4100"_s);
    page->publicUrl->setText(u"https://auth.example.org/"_s);
    page->surfaces[1]->setChecked(false); // wallet off
    page->namespaceTokenMinutes->setValue(30);
    page->policy->pinAccess->setValue(90);
    page->policy->codeAttempts->setValue(3);
    page->smtpUrl->setText(u"smtps://mailer:s3cret-pw@smtp.example.org:465"_s);
    page->mailFrom->setText(u"auth@example.org"_s);
    page->smsWebhook->setText(u"https://sms.example.org/send"_s);
    page->telegramBotToken->setValue(u"999:NEW-bot-token"_s);
    page->oauth->addProvider(u"gitlab"_s);
    page->oauth->item(0, OAuthTable::ClientId)->setText(u"gl-client"_s);
    page->oauth->item(0, OAuthTable::Issuer)->setText(u"https://gitlab.example.org"_s);
    page->oauth->setSecret(0, u"gl-client-secret"_s);
    page->redirectAllowlist->setPlainText(
        u"https://app.example.org/\nhttps://admin.example.org/"_s);

    QSignalSpy saved(page, &SettingsPage::saved);
    QSignalSpy failed(page, &SettingsPage::failed);
    page->save();
    QTRY_VERIFY(saved.size() == 1 || failed.size() == 1);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    const QString report = saved.at(0).at(0).toString();
    QVERIFY2(report.contains(u"listen address"_s), qPrintable(report));
    QVERIFY2(report.contains(u"surfaces"_s), qPrintable(report));
    QVERIFY2(report.contains(u"token lifetimes"_s) && report.contains(u"rate limits"_s),
             qPrintable(report));
    QVERIFY2(report.contains(u"In effect now: Telegram bot token"_s), qPrintable(report));

    // The file has the settings and no secret.
    const QString path = page->configPath();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    for (const char *secret : {"s3cret-pw", "NEW-bot-token", "gl-client-secret"})
        QVERIFY2(!text.contains(secret), secret);
    QVERIFY((file.permissions() & (QFile::ReadOther | QFile::ReadGroup)) == 0);

    QProcessEnvironment env;
    auto loaded = loadSettings({f.server.dataDir(), std::nullopt, std::nullopt, std::nullopt}, env);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QCOMPARE(loaded->configFile, path);
    QCOMPARE(loaded->listenAddress(), u"127.0.0.1:4100"_s);
    QCOMPARE(loaded->publicUrl, u"https://auth.example.org"_s);
    QVERIFY(!loaded->walletSurface);
    QVERIFY(loaded->pinSurface);
    QCOMPARE(loaded->namespaceTokenMinutes, 30);
    QCOMPARE(loaded->pinAccessSecs, 90);
    QCOMPARE(loaded->codeAttempts, 3);
    QCOMPARE(loaded->pinRefreshDays, 30); // untouched fields keep their values
    QCOMPARE(loaded->smtpUrl, u"smtps://mailer@smtp.example.org:465"_s);
    QCOMPARE(loaded->mailFrom, u"auth@example.org"_s);
    QCOMPARE(loaded->smsWebhookUrl, u"https://sms.example.org/send"_s);
    QCOMPARE(loaded->redirectAllowlist,
             QStringList({u"https://app.example.org/"_s, u"https://admin.example.org/"_s}));
    QVERIFY(loaded->oauthProviders.contains(u"gitlab"_s));
    QCOMPARE(loaded->oauthProviders.value(u"gitlab"_s).clientId, u"gl-client"_s);
    QCOMPARE(loaded->oauthProviders.value(u"gitlab"_s).issuer, u"https://gitlab.example.org"_s);
    QCOMPARE(loaded->oauthProviders.value(u"gitlab"_s).clientSecret, QString());
    QCOMPARE(loaded->secretStore, u"file"_s);

    // The secrets are in the file-mode SecretStore and in force now.
    const QList<std::pair<QString, QByteArray>> expected = {
        {SecretName::telegramBotToken, "999:NEW-bot-token"},
        {SecretName::smtpPassword, "s3cret-pw"},
        {SecretName::oauthClientSecret(u"gitlab"_s), "gl-client-secret"}};
    for (const auto &[name, value] : expected) {
        QCOMPARE(services.secrets.value(name), value);
        SecretStore store(f.server.dataDir(), u"file"_s);
        std::optional<QByteArray> read;
        store.read(name, [&](std::optional<QByteArray> v, QString) { read = v; });
        QCOMPARE(read.value_or(QByteArray()), value);
    }
    QCOMPARE(consoleEvents(services, u"settings.save"_s).size(), 1);
    QCOMPARE(consoleEvents(services, u"secret.set"_s).size(), 3);

    // The form shows the saved values, with the secrets masked as "stored".
    QCOMPARE(page->listen->text(), u"127.0.0.1:4100"_s);
    QCOMPARE(page->telegramBotToken->change(), SecretField::Change::Keep);
    QVERIFY(page->telegramBotToken->edit()->text().isEmpty());

    // Removing the provider drops its section and its secret.
    page->oauth->selectRow(0);
    page->oauth->removeSelected();
    page->save();
    QTRY_COMPARE(saved.size(), 2);
    loaded = loadSettings({f.server.dataDir(), std::nullopt, std::nullopt, std::nullopt}, env);
    QVERIFY(loaded.ok());
    QVERIFY(!loaded->oauthProviders.contains(u"gitlab"_s));
    QVERIFY(services.secrets.value(SecretName::oauthClientSecret(u"gitlab"_s)).isEmpty());
}

void TstConsole::settingsRejectsBadInput()
{
    ConsoleFixture f;
    SettingsPage *page = f.window->settings();
    QSignalSpy failed(page, &SettingsPage::failed);
    const QList<std::pair<QLineEdit *, QString>> bad = {
        {page->listen, u"nowhere"_s},
        {page->publicUrl, u"ftp://x"_s},
        {page->smtpUrl, u"http://smtp.example.org"_s},
        {page->smsWebhook, u"not a url"_s},
        {page->database, u"mysql://x"_s},
    };
    for (const auto &[field, value] : bad) {
        const QString before = field->text();
        field->setText(value);
        page->save();
        QCOMPARE(failed.size(), 1);
        failed.clear();
        field->setText(before);
    }
    QVERIFY(!QFile::exists(page->configPath()));
}

void TstConsole::settingsHttps()
{
    ConsoleFixture f;
    SettingsPage *page = f.window->settings();
    const QString dir = f.server.dataDir();
    QVERIFY(TestCertificates::make(dir, u"site"_s, TestCertificates::Key::Ec));
    QVERIFY(TestCertificates::make(dir, u"other"_s, TestCertificates::Key::Ec));
    const QString cert = dir + u"/site-cert.pem"_s;
    QSignalSpy saved(page, &SettingsPage::saved);
    QSignalSpy failed(page, &SettingsPage::failed);

    // Half a pair, a key of another certificate: refused with the reason, nothing written.
    page->tls->setFiles(cert, QString());
    page->save();
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(u"both a certificate file and a key file"_s));
    page->tls->setFiles(cert, dir + u"/other-key.pem"_s);
    page->save();
    QCOMPARE(failed.size(), 2);
    QVERIFY(failed.at(1).at(0).toString().contains(u"does not belong to the certificate"_s));
    QVERIFY(!QFile::exists(page->configPath()));

    // The right pair (the key named relative to the data folder): saved, and flagged as
    // waiting for a restart.
    page->tls->setFiles(cert, u"site-key.pem"_s);
    QVERIFY(page->tls->check().isEmpty());
    page->save();
    QTRY_COMPARE(saved.size(), 1);
    QVERIFY2(saved.at(0).at(0).toString().contains(u"HTTPS certificate"_s),
             qPrintable(saved.at(0).at(0).toString()));
    const auto loaded =
        loadSettings({dir, std::nullopt, std::nullopt, std::nullopt}, QProcessEnvironment());
    QVERIFY2(loaded, qPrintable(loaded.error()));
    QCOMPARE(loaded->tlsCertificateFile, cert);
    QCOMPARE(loaded->tlsKeyFile, dir + u"/site-key.pem"_s);
    QVERIFY(loaded->servesTls());
}

void TstConsole::defaultAdminDetected()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    QSignalSpy checked(f.window.get(), &MainWindow::defaultAdminChecked);
    f.window->checkDefaultAdmin(false);
    QTRY_VERIFY_WITH_TIMEOUT(!checked.isEmpty(), 10000);
    QVERIFY(checked.at(0).at(0).toBool()); // "admin"/"admin" from the account surface

    const auto admin = services.users.byUsername(u"admin"_s);
    QVERIFY(admin);
    UsersPage *page = f.window->users();
    QSignalSpy done(page, &UsersPage::actionDone);
    page->actions()->setPassword(*admin, u"a-much-better-one"_s);
    QTRY_VERIFY_WITH_TIMEOUT(done.size() == 1, 10000);
    // The console checks again after its own action (and when the users table changes).
    QTRY_VERIFY_WITH_TIMEOUT(!checked.last().at(0).toBool(), 10000);
}

// First run: the server was refused (admin/admin on a network address); the walk-through
// checks the new password, sets it, clears the banner and starts the server.
void TstConsole::firstRunWalkThrough()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    f.control.stop();
    f.control.refusal = u"refusing to listen on 0.0.0.0:3006: the admin account still has the "
                        u"default password 'admin'"_s;
    QMessageBox *refused = f.window->startServer();
    QVERIFY(refused);
    QVERIFY(refused->text().contains(u"default password 'admin'"_s) ||
            refused->informativeText().contains(u"default password 'admin'"_s));
    refused->close();
    QVERIFY(!f.control.isRunning());

    f.window->checkDefaultAdmin(true);
    FirstRunDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = f.window->findChild<FirstRunDialog *>()) != nullptr, 10000);
    QVERIFY(dialog->isVisible());
    QSignalSpy changed(dialog, &FirstRunDialog::passwordChanged);
    const QList<std::pair<QString, QString>> bad = {
        {u"short"_s, u"short"_s},
        {u"admin"_s, u"admin"_s},
        {u"a-much-better-one"_s, u"a-much-better-two"_s},
    };
    for (const auto &[password, confirm] : bad) {
        dialog->passwordField()->setText(password);
        dialog->confirmField()->setText(confirm);
        dialog->accept();
        QVERIFY2(!dialog->problem().isEmpty(), qPrintable(password));
        QVERIFY(dialog->isVisible());
    }
    QVERIFY(services.accounts.defaultAdminPasswordUnchanged());

    f.control.refusal.clear(); // what HttpServer does once the password is no longer "admin"
    dialog->passwordField()->setText(u"a-much-better-one"_s);
    dialog->confirmField()->setText(u"a-much-better-one"_s);
    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() == 1, 10000);
    QVERIFY(!services.accounts.defaultAdminPasswordUnchanged());
    const auto admin = services.users.byUsername(u"admin"_s);
    QVERIFY(PasswordHasher::verify(admin->passwordHash, "a-much-better-one"));
    QTRY_VERIFY_WITH_TIMEOUT(f.control.isRunning(), 5000); // started again by itself
    QTRY_VERIFY_WITH_TIMEOUT(!f.window->overview()->defaultPasswordWarningShown(), 10000);
}

void TstConsole::secondInstanceRaisesFirst()
{
    QTemporaryDir dir;
    QVERIFY(!SingleInstance::raiseRunning(dir.path(), 300)); // nobody there yet
    SingleInstance first(dir.path());
    QVERIFY(first.listen());
    QSignalSpy raised(&first, &SingleInstance::raiseRequested);
    std::atomic<int> answer{-1};
    std::thread second([&] { answer = SingleInstance::raiseRunning(dir.path()) ? 1 : 0; });
    QTRY_VERIFY_WITH_TIMEOUT(answer != -1, 5000);
    second.join();
    QCOMPARE(answer.load(), 1);
    QCOMPARE(raised.size(), 1);
    // Another data folder is another console.
    QTemporaryDir other;
    QVERIFY(SingleInstance::socketName(dir.path()) != SingleInstance::socketName(other.path()));
    QVERIFY(!SingleInstance::raiseRunning(other.path(), 300));
}

// Ctrl+1…8 switch pages, Ctrl+Shift+F finds a user, typing filters, arrows move the
// selection and the side panel follows.
void TstConsole::keyboardReachesEveryPage()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    for (const char *name : {"kbd-anna", "kbd-bert", "kbd-carl"}) {
        User u;
        u.username = QString::fromLatin1(name);
        QVERIFY(services.users.create(u).ok());
    }
    f.window->resize(1280, 800);
    f.window->show();
    f.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
    QVERIFY(f.settle());
    for (int i = MainWindow::PageCount - 1; i >= 0; --i) {
        QTest::keyClick(f.window.get(), Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
        QCOMPARE(f.window->currentPage(), i);
    }
    QTest::keyClick(f.window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(f.window->currentPage(), int(MainWindow::Users));
    UsersPage *users = f.window->users();
    QTRY_VERIFY(users->searchField()->hasFocus());
    QTest::keyClicks(QApplication::focusWidget(), u"kbd-"_s);
    QTRY_COMPARE_WITH_TIMEOUT(users->model()->totalCount(), qint64(3), 3000);
    users->view()->setFocus();
    QTest::keyClick(users->view(), Qt::Key_Home);
    QTest::keyClick(users->view(), Qt::Key_Down);
    QTRY_COMPARE(users->view()->currentIndex().row(), 1);
}

// Without a system tray, closing asks; "Keep serving" hides the window and the server
// goes on, Cancel keeps the window.
void TstConsole::closingKeepsServing()
{
    ConsoleFixture f;
    f.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
    QVERIFY(f.settle());
    auto answer = [](const QString &button) {
        QTimer::singleShot(100, [button] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            for (QAbstractButton *b : box->buttons())
                if (b->text() == button)
                    return b->click();
            QFAIL("no such button");
        });
    };
    answer(u"Cancel"_s);
    f.window->close();
    QVERIFY(f.window->isVisible());
    answer(u"Keep serving"_s);
    f.window->close();
    QVERIFY(!f.window->isVisible());
    QVERIFY(f.control.isRunning());
    f.window->raiseWindow(); // what a second launch does
    QVERIFY(f.window->isVisible());
}

QTEST_MAIN(TstConsole)
#include "tst_console.moc"
