// SPDX-License-Identifier: GPL-3.0-or-later
// The console's "Import from another server…" dialog, offscreen, over a real in-process
// server and the console's workers: the origin readers are stood in for by fakes handed
// to the dialog (what each step shows, the progress bar, errors, cancelling, a GUI
// thread that keeps running), and the menu opens the real thing.
#include "consoletesting.h"

#include "crypto/passwordhasher.h"
#include "import/importdialog.h"
#include "import/importsourceform.h"
#include "import/importsummary.h"
#include "pages/userspage.h"
#include "services.h"
#include "widgets/secretfield.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <atomic>
#include <mutex>

using namespace Qt::StringLiterals;

namespace {

Origins::Read sampleRead()
{
    Origins::Read read;
    for (int i = 0; i < 3; ++i) {
        Transfer::User u;
        u.id = u"u%1"_s.arg(i);
        u.username = u"reader%1"_s.arg(i);
        u.passwordHash = i < 2 ? u"$2b$12$abcdefghijklmnopqrstuv"_s : QString();
        u.pinHash = i == 2 ? u"pbkdf2$…"_s : QString();
        read.document.users << u;
    }
    read.apiTokens << Origins::ApiToken{u"u0"_s, u"tok-a"_s, 1, 0}
                   << Origins::ApiToken{u"u1"_s, u"tok-b"_s, 1, 0};
    read.notCarried << u"sessions: everyone signs in again"_s;
    return read;
}

Origins::Outcome sampleOutcome()
{
    Origins::Outcome o;
    o.report.users = {2, 1, 0};
    o.report.identities = {3, 0, 0};
    o.report.telegramBindings = {0, 0, 4};
    o.apiTokensCreated = 2;
    o.apiTokensSkipped = 1;
    o.notCarried << u"sessions: everyone signs in again"_s
                 << u"reading lists: not an auth matter"_s;
    return o;
}

// Fakes for Origins::read/apply that count their calls (from any thread).
struct Fakes
{
    std::mutex mutex;
    QList<OriginImport::Request> reads;
    std::atomic<int> dryRuns{0};
    std::atomic<int> imports{0};
    std::function<Result<Origins::Read>()> readResult = [] { return Result(sampleRead()); };
    std::function<Result<Origins::Outcome>(const Origins::Progress &)> importResult =
        [](const Origins::Progress &progress) {
            progress(1, 1);
            return Result(sampleOutcome());
        };

    OriginImport::Functions functions()
    {
        OriginImport::Functions f;
        f.read = [this](Origins::Kind kind, const QString &source, const Origins::Options &o) {
            std::lock_guard lock(mutex);
            reads << OriginImport::Request{kind, source, o};
            return readResult();
        };
        f.apply = [this](Services &, const Origins::Read &, bool dryRun,
                         const Origins::Progress &progress) {
            if (dryRun) {
                ++dryRuns;
                return Result(sampleOutcome());
            }
            ++imports;
            return importResult(progress);
        };
        return f;
    }
};

// The server and the console's workers, without the main window.
struct Fixture
{
    TestServer server;
    Workers workers;
    Fakes fakes;
    std::unique_ptr<ImportDialog> dialog;

    Fixture() { reopen(); }
    ~Fixture()
    {
        dialog.reset();
        workers.waitForDone();
    }
    void reopen()
    {
        dialog =
            std::make_unique<ImportDialog>(server.services(), workers, nullptr, fakes.functions());
        dialog->show();
    }
    void choose(const QString &origin, int sourceType, const QString &source)
    {
        ImportSourceForm *form = dialog->form();
        form->originBox()->setCurrentIndex(form->originBox()->findData(origin));
        form->sourceTypeBox()->setCurrentIndex(sourceType);
        form->sourceField()->setText(source);
    }
    QList<AuditEvent> imports()
    {
        server.services().audit.flush();
        AuditFilter filter;
        filter.text = u"transfer.import"_s;
        return server.services().audit.query(filter);
    }
};

} // namespace

class TstImportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void previewShowsWhatWouldChange();
    void originFieldsReachTheReader();
    void importFeedsTheProgressBarAndKeepsTheWindowResponsive();
    void refusalsAreShownInTheDialog();
    void cancelWinsUntilTheImportStarts();
    void menuOpensTheDialog();
    void importsARealLncrawlDatabase();
    void screenshots();
};

void TstImportDialog::previewShowsWhatWouldChange()
{
    Fixture f;
    QCOMPARE(f.dialog->step(), ImportDialog::Source);
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, u"/srv/lncrawl/app.db"_s);
    QTest::mouseClick(f.dialog->nextButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);
    QCOMPARE(f.fakes.reads.size(), 1);
    QCOMPARE(f.fakes.reads.at(0).kind, Origins::Kind::Lncrawl);
    QCOMPARE(f.fakes.reads.at(0).source, u"sqlite:/srv/lncrawl/app.db"_s);
    QCOMPARE(f.fakes.dryRuns.load(), 1);
    QCOMPARE(f.fakes.imports.load(), 0); // a preview writes nothing

    ImportSummary *s = f.dialog->previewSummary();
    QCOMPARE(s->count(ImportSummary::Users, ImportSummary::Created), 2);
    QCOMPARE(s->count(ImportSummary::Users, ImportSummary::Updated), 1);
    QCOMPARE(s->count(ImportSummary::Users, ImportSummary::Unchanged), 0);
    QCOMPARE(s->count(ImportSummary::Identities, ImportSummary::Created), 3);
    QCOMPARE(s->count(ImportSummary::TelegramBindings, ImportSummary::Unchanged), 4);
    QCOMPARE(s->count(ImportSummary::ApiTokens, ImportSummary::Created), 2);
    QCOMPARE(s->count(ImportSummary::ApiTokens, ImportSummary::Unchanged), 1);
    QCOMPARE(s->count(ImportSummary::ApiTokens, ImportSummary::Updated), -1);
    const QString headline = s->headline()->text();
    QVERIFY2(headline.contains(u"lightnovel-crawler"_s), qPrintable(headline));
    QVERIFY2(headline.contains(u"Read: 3 users (2 with a password hash, 1 with a PIN hash) and "
                               u"2 API tokens."_s),
             qPrintable(headline));
    // What stays behind, once each though reader and apply both name it.
    QCOMPARE(s->notCarried()->count(), 2);
    QCOMPARE(s->notCarried()->item(0)->text(), u"sessions: everyone signs in again"_s);
    QCOMPARE(s->notCarried()->item(1)->text(), u"reading lists: not an auth matter"_s);
    QVERIFY(f.imports().isEmpty());

    // Back, and a second preview reads again.
    QTest::mouseClick(f.dialog->backButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->step(), ImportDialog::Source);
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);
    QCOMPARE(f.fakes.reads.size(), 2);
}

void TstImportDialog::originFieldsReachTheReader()
{
    Fixture f;
    ImportSourceForm *form = f.dialog->form();
    f.choose(u"ambrosia"_s, ImportSourceForm::PostgresUrl, u"postgresql://pos:pw@db/ambrosia"_s);
    QVERIFY(form->secretField()->isVisibleTo(f.dialog.get()));
    QVERIFY(!form->namespaceField()->isVisibleTo(f.dialog.get()));
    QVERIFY(form->originHint()->text().contains(u"PIN"_s));
    form->secretField()->setValue(u"s3cret"_s);
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);
    QCOMPARE(f.fakes.reads.at(0).kind, Origins::Kind::Ambrosia);
    QCOMPARE(f.fakes.reads.at(0).source, u"postgresql://pos:pw@db/ambrosia"_s);
    QCOMPARE(f.fakes.reads.at(0).options.ambrosiaSecret, u"s3cret"_s);

    f.dialog->back();
    f.choose(u"hapi"_s, ImportSourceForm::DataFolder, u"/home/me/.hapi"_s);
    QVERIFY(!form->secretField()->isVisibleTo(f.dialog.get()));
    QVERIFY(form->namespaceField()->isVisibleTo(f.dialog.get()));
    form->namespaceField()->setText(u"default"_s);
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);
    QCOMPARE(f.fakes.reads.at(1).kind, Origins::Kind::Hapi);
    QCOMPARE(f.fakes.reads.at(1).source, u"/home/me/.hapi"_s);
    QCOMPARE(f.fakes.reads.at(1).options.hapiNamespace, u"default"_s);
    QVERIFY(f.fakes.reads.at(1).options.ambrosiaSecret.isEmpty());

    // Missing or malformed sources are caught before anything runs.
    f.dialog->back();
    f.choose(u"lncrawl"_s, ImportSourceForm::PostgresUrl, QString());
    f.dialog->preview();
    QCOMPARE(f.dialog->step(), ImportDialog::Source);
    QCOMPARE(f.dialog->errorLabel()->text(), u"Enter the PostgreSQL URL."_s);
    form->sourceField()->setText(u"mysql://x"_s);
    QVERIFY(f.dialog->errorLabel()->text().isEmpty()); // editing clears it
    f.dialog->preview();
    QCOMPARE(f.dialog->errorLabel()->text(), u"A PostgreSQL URL starts with postgresql://."_s);
    QCOMPARE(f.fakes.reads.size(), 2);
}

void TstImportDialog::importFeedsTheProgressBarAndKeepsTheWindowResponsive()
{
    Fixture f;
    constexpr int kRows = 40;
    f.fakes.importResult = [](const Origins::Progress &progress) {
        for (int i = 1; i <= kRows; ++i) {
            QThread::msleep(15); // a slow database
            progress(i, kRows);
        }
        return Result(sampleOutcome());
    };
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, u"/srv/lncrawl/app.db"_s);
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);

    // The GUI thread's event loop keeps turning while the import runs.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this,
            [&] { longestGap = qMax(longestGap, sinceTick.restart()); });
    QList<int> seen;
    connect(f.dialog->progressBar(), &QProgressBar::valueChanged, this,
            [&seen](int value) { seen << value; });
    QSignalSpy imported(f.dialog.get(), &ImportDialog::imported);

    sinceTick.start();
    ticker.start();
    QTest::mouseClick(f.dialog->nextButton(),
                      Qt::LeftButton); // returns at once: it runs on a worker
    QCOMPARE(f.dialog->step(), ImportDialog::Importing);
    // Once it has started, neither Cancel nor closing the window stops it.
    QTRY_VERIFY(!f.dialog->cancelButton()->isEnabled());
    f.dialog->reject();
    QVERIFY(f.dialog->isVisible());
    QCOMPARE(f.dialog->step(), ImportDialog::Importing);
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Finished);
    ticker.stop();

    QCOMPARE(f.dialog->progressBar()->value(), 100);
    QVERIFY2(seen.size() >= 5, qPrintable(u"%1 progress steps shown"_s.arg(seen.size())));
    QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    QVERIFY2(longestGap < 300, qPrintable(u"the GUI thread stalled %1 ms"_s.arg(longestGap)));
    QCOMPARE(f.fakes.imports.load(), 1);
    QCOMPARE(imported.size(), 1);
    QCOMPARE(imported.at(0).at(0).toBool(), true);
    QVERIFY(f.dialog->resultTitle()->text().contains(u"Imported from lightnovel-crawler"_s));
    QCOMPARE(f.dialog->resultSummary()->count(ImportSummary::Users, ImportSummary::Created), 2);
    QCOMPARE(f.dialog->cancelButton()->text(), u"Close"_s);
    QVERIFY(!f.dialog->backButton()->isVisible()); // done: nothing to go back to

    const QList<AuditEvent> audit = f.imports();
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.at(0).surface, u"console"_s);
    QCOMPARE(audit.at(0).result, u"ok"_s);
    QCOMPARE(audit.at(0).subject, u"lncrawl sqlite:/srv/lncrawl/app.db"_s);
    QVERIFY(audit.at(0).detail.contains(u"users 2 created, 1 updated"_s));
    f.dialog->reject();
    QVERIFY(!f.dialog->isVisible());
}

void TstImportDialog::refusalsAreShownInTheDialog()
{
    Fixture f;
    // A reader's refusal (a wrong secret) comes back to the first step, in words.
    f.fakes.readResult = [] {
        return Result<Origins::Read>::failure(
            Refusal::Kind::BadCredentials, u"the Ambrosia secret does not open these PIN hashes"_s);
    };
    f.choose(u"ambrosia"_s, ImportSourceForm::SqliteFile, u"/var/lib/ambrosia/pos.db"_s);
    f.dialog->form()->secretField()->setValue(u"wrong"_s);
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->errorLabel()->text(),
                 u"the Ambrosia secret does not open these PIN hashes"_s);
    QCOMPARE(f.dialog->step(), ImportDialog::Source);
    QCOMPARE(f.fakes.dryRuns.load(), 0);

    // Anything else a reader throws is shown too, not a crash.
    f.fakes.readResult = []() -> Result<Origins::Read> {
        throw std::runtime_error("file is not a database");
    };
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->errorLabel()->text(), u"file is not a database"_s);

    // A refused import says so on the last page and in the audit log.
    f.fakes.readResult = [] { return Result(sampleRead()); };
    f.fakes.importResult = [](const Origins::Progress &) {
        return Result<Origins::Outcome>::failure(
            Refusal::Kind::Conflict, u"user 7: the username bob belongs to another user here"_s);
    };
    QSignalSpy imported(f.dialog.get(), &ImportDialog::imported);
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);
    f.dialog->startImport();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Finished);
    QCOMPARE(imported.size(), 1);
    QCOMPARE(imported.at(0).at(0).toBool(), false);
    QVERIFY2(f.dialog->resultTitle()->text().contains(
                 u"Nothing was imported from Ambrosia POS:</b> user 7: the username bob belongs "
                 u"to another user here"_s),
             qPrintable(f.dialog->resultTitle()->text()));
    QVERIFY(!f.dialog->resultSummary()->isVisibleTo(f.dialog.get()));
    const QList<AuditEvent> audit = f.imports();
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.at(0).result, u"error"_s);
    QVERIFY(audit.at(0).detail.contains(u"belongs to another user"_s));
    // Back starts over from the source.
    QVERIFY(f.dialog->backButton()->isVisible());
    QTest::mouseClick(f.dialog->backButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->step(), ImportDialog::Source);

    // The real readers, while they refuse ("not built yet" until they land), likewise.
    f.dialog = std::make_unique<ImportDialog>(f.server.services(), f.workers);
    f.dialog->show();
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, f.server.dataDir() + u"/none.db"_s);
    f.dialog->preview();
    QTRY_VERIFY(f.dialog->step() == ImportDialog::Source &&
                !f.dialog->errorLabel()->text().isEmpty());
}

void TstImportDialog::cancelWinsUntilTheImportStarts()
{
    Fixture f;
    QSemaphore release;
    QObject context;
    // Cancel while reading goes back to the first step; the late result is dropped.
    f.workers.run(
        &context,
        [&release] {
            release.acquire();
            return 0;
        },
        [](Result<int>) {});
    f.fakes.readResult = [&release] {
        release.acquire();
        return Result(sampleRead());
    };
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, u"/srv/lncrawl/app.db"_s);
    f.dialog->preview();
    QCOMPARE(f.dialog->step(), ImportDialog::Reading);
    QTest::mouseClick(f.dialog->cancelButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->step(), ImportDialog::Source);
    QCOMPARE(f.dialog->errorLabel()->text(), u"Preview cancelled."_s);
    QVERIFY(f.dialog->isVisible());
    release.release(2);
    QTRY_COMPARE(f.workers.pending(), 0);
    QCOMPARE(f.dialog->step(), ImportDialog::Source);
    f.fakes.readResult = [] { return Result(sampleRead()); };

    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);

    // Every worker busy (a big search, say): the import waits its turn.
    for (int i = 0; i < 3; ++i)
        f.workers.run(
            &context,
            [&release] {
                release.acquire();
                return 0;
            },
            [](Result<int>) {});
    f.dialog->startImport();
    QCOMPARE(f.dialog->step(), ImportDialog::Importing);
    QVERIFY(f.dialog->cancelButton()->isEnabled());
    QTest::mouseClick(f.dialog->cancelButton(), Qt::LeftButton);
    QCOMPARE(f.dialog->step(), ImportDialog::Preview); // back to what would be imported
    release.release(3);
    QTRY_COMPARE(f.workers.pending(), 0);
    QCOMPARE(f.fakes.imports.load(), 0);
    QVERIFY(f.imports().isEmpty());

    // Closing the window before it starts cancels it too.
    for (int i = 0; i < 3; ++i)
        f.workers.run(
            &context,
            [&release] {
                release.acquire();
                return 0;
            },
            [](Result<int>) {});
    f.dialog->startImport();
    f.dialog->reject();
    QVERIFY(!f.dialog->isVisible());
    release.release(3);
    QTRY_COMPARE(f.workers.pending(), 0);
    QCOMPARE(f.fakes.imports.load(), 0);
}

void TstImportDialog::menuOpensTheDialog()
{
    ConsoleFixture f;
    f.window->show();
    QAction *action = nullptr;
    for (QAction *menu : f.window->menuBar()->actions())
        for (QAction *a : menu->menu()->actions())
            if (a->text() == u"&Import from another server…")
                action = a;
    QVERIFY(action);
    action->trigger();
    QCOMPARE(f.window->currentPage(), int(MainWindow::Users));
    ImportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = f.window->users()->findChild<ImportDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->step(), ImportDialog::Source);
    dialog->reject();
    QTRY_VERIFY(!f.window->users()->findChild<ImportDialog *>()); // deleted on close

    // The Users page's own button opens it as well.
    auto *button = f.window->users()->findChild<QPushButton *>();
    for (QPushButton *b : f.window->users()->findChildren<QPushButton *>())
        if (b->text() == u"&Import…")
            button = b;
    QCOMPARE(button->text(), u"&Import…"_s);
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY(f.window->users()->findChild<ImportDialog *>());
    QVERIFY(f.settle());
}

namespace {
// A lightnovel-crawler database as its SQLAlchemy models write it (lncrawl/dao/user.py):
// users with argon2 password hashes, roles by member name, and user_tokens.
QString writeLncrawlDatabase(const QString &path)
{
    const QString connection = u"lncrawl-fixture"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        if (!db.open())
            return db.lastError().text();
        QSqlQuery q(db);
        const QString hash = PasswordHasher::hash("novel reader");
        const QStringList statements = {
            u"CREATE TABLE users (id VARCHAR PRIMARY KEY, created_at BIGINT, updated_at BIGINT, "
            u"extra JSON, referrer_id VARCHAR, password VARCHAR, email VARCHAR UNIQUE, name "
            u"VARCHAR, role VARCHAR(5), tier INTEGER, is_active BOOLEAN, is_verified BOOLEAN)"_s,
            u"CREATE TABLE user_tokens (token CHAR(10) PRIMARY KEY, user_id VARCHAR, "
            u"expires_at BIGINT)"_s,
            u"INSERT INTO users VALUES ('u-ada', 1700000000000, 1700000000000, '{}', NULL, '%1', "
            u"'ada@example.org', 'Ada', 'ADMIN', 2, 1, 1)"_s.arg(hash),
            u"INSERT INTO users VALUES ('u-bo', 1700000001000, 1700000001000, '{}', 'u-ada', '%1', "
            u"'bo@example.org', 'Bo', 'USER', 0, 1, 0)"_s.arg(hash),
            u"INSERT INTO users VALUES ('u-cy', 1700000002000, 1700000002000, '{}', NULL, "
            u"'$2b$12$notargon', 'cy@example.org', 'Cy', 'LOCAL', 1, 0, 0)"_s,
            u"INSERT INTO user_tokens VALUES ('tok0000001', 'u-ada', 4102444800000)"_s,
            u"INSERT INTO user_tokens VALUES ('tok0000002', 'u-bo', 4102444800000)"_s,
        };
        for (const QString &statement : statements)
            if (!q.exec(statement))
                return q.lastError().text() + u": "_s + statement;
    }
    QSqlDatabase::removeDatabase(connection);
    return {};
}
} // namespace

void TstImportDialog::importsARealLncrawlDatabase()
{
    Fixture f;
    Services &services = f.server.services();
    const QString path = f.server.dataDir() + u"/lncrawl.db"_s;
    const QString written = writeLncrawlDatabase(path);
    QVERIFY2(written.isEmpty(), qPrintable(written));
    // Until branch lncrawl is merged, Origins::read is a placeholder.
    if (const auto probe = Origins::read(Origins::Kind::Lncrawl, u"sqlite:"_s + path, {});
        !probe && probe.error() == u"not built yet")
        QSKIP("the lightnovel-crawler reader is not in this build yet");
    f.dialog = std::make_unique<ImportDialog>(services, f.workers); // the real readers
    f.dialog->show();
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, path);
    f.dialog->preview();
    QTRY_COMPARE_WITH_TIMEOUT(f.dialog->step(), ImportDialog::Preview, 20000);
    ImportSummary *preview = f.dialog->previewSummary();
    QCOMPARE(preview->count(ImportSummary::Users, ImportSummary::Created), 3);
    QCOMPARE(preview->count(ImportSummary::ApiTokens, ImportSummary::Created), 2);
    QVERIFY(!services.users.byEmail(u"ada@example.org"_s)); // a preview writes nothing
    QStringList stays;
    for (int i = 0; i < preview->notCarried()->count(); ++i)
        stays << preview->notCarried()->item(i)->text();
    QVERIFY2(stays.join(u'\n').contains(u"role LOCAL"_s), qPrintable(stays.join(u'\n')));

    f.dialog->startImport();
    QTRY_COMPARE_WITH_TIMEOUT(f.dialog->step(), ImportDialog::Finished, 20000);
    QCOMPARE(f.dialog->progressBar()->value(), 100);
    QCOMPARE(f.dialog->resultSummary()->count(ImportSummary::Users, ImportSummary::Created), 3);
    const auto ada = services.users.byEmail(u"ada@example.org"_s);
    QVERIFY(ada);
    QVERIFY(ada->isAdmin);
    QVERIFY(PasswordHasher::verify(ada->passwordHash, "novel reader"));
    QVERIFY(services.users.byEmail(u"cy@example.org"_s)->disabled);

    // Importing again changes nothing, and the preview says so.
    QTest::mouseClick(f.dialog->cancelButton(), Qt::LeftButton); // Close
    f.dialog = std::make_unique<ImportDialog>(services, f.workers);
    f.dialog->show();
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, path);
    f.dialog->preview();
    QTRY_COMPARE_WITH_TIMEOUT(f.dialog->step(), ImportDialog::Preview, 20000);
    QCOMPARE(f.dialog->previewSummary()->count(ImportSummary::Users, ImportSummary::Created), 0);
    QCOMPARE(f.dialog->previewSummary()->count(ImportSummary::Users, ImportSummary::Unchanged), 3);

    // A file that is not a database, and one that does not exist, are refused in words.
    QFile notes(f.server.dataDir() + u"/notes.txt"_s);
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write(QByteArray(4096, 'x'));
    notes.close();
    for (const QString &name : {u"/notes.txt"_s, u"/missing.db"_s}) {
        f.dialog->back();
        f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, f.server.dataDir() + name);
        f.dialog->preview();
        QTRY_VERIFY_WITH_TIMEOUT(f.dialog->step() == ImportDialog::Source &&
                                     !f.dialog->errorLabel()->text().isEmpty(),
                                 20000);
        qInfo().noquote() << name << "refused:" << f.dialog->errorLabel()->text();
    }
    QVERIFY(!QFile::exists(f.server.dataDir() + u"/missing.db"_s)); // read, never created
}

// docs/screenshots/import-preview.png and import-done.png, when GATEHOUSE_SCREENSHOT_DIR is set.
void TstImportDialog::screenshots()
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("GATEHOUSE_SCREENSHOT_DIR is not set");
    Fixture f;
    f.fakes.readResult = [] {
        Origins::Read read;
        for (int i = 0; i < 1284; ++i) {
            Transfer::User u;
            u.passwordHash = i % 7 ? u"$2b$12$…"_s : QString();
            read.document.users << u;
        }
        for (int i = 0; i < 37; ++i)
            read.apiTokens << Origins::ApiToken{};
        return Result(read);
    };
    OriginImport::Functions functions = f.fakes.functions();
    functions.apply = [](Services &, const Origins::Read &, bool dryRun,
                         const Origins::Progress &progress) {
        Origins::Outcome o;
        o.report.users = {1283, 1, 0};
        o.report.identities = {1101, 0, 0};
        o.apiTokensCreated = 37;
        o.notCarried << u"sessions and refresh tokens: everyone signs in once more"_s
                     << u"reading history, libraries and jobs: not accounts (they stay in "
                        u"lightnovel-crawler)"_s
                     << u"3 users without a username or email: nothing to sign in with"_s;
        if (!dryRun)
            for (int i = 1; i <= 100; ++i)
                progress(i, 100);
        return Result(o);
    };
    f.dialog = std::make_unique<ImportDialog>(f.server.services(), f.workers, nullptr, functions);
    f.dialog->show();
    f.choose(u"lncrawl"_s, ImportSourceForm::SqliteFile, u"/srv/lncrawl/.lncrawl/sqlite.db"_s);
    QVERIFY(f.dialog->grab().save(dir + u"/import-source.png"_s));
    f.dialog->preview();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Preview);
    QVERIFY(f.dialog->grab().save(dir + u"/import-preview.png"_s));
    f.dialog->startImport();
    QTRY_COMPARE(f.dialog->step(), ImportDialog::Finished);
    QVERIFY(f.dialog->grab().save(dir + u"/import-done.png"_s));
}

QTEST_MAIN(TstImportDialog)
#include "tst_importdialog.moc"
