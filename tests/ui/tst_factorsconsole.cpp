// SPDX-License-Identifier: GPL-3.0-or-later
// The console's second factors: the Users page's line for the selected user, the factors
// dialog (list, remove, audited), and the admin policy's note. With
// $GATEHOUSE_SCREENSHOT_DIR set it also saves users-factors.png and user-factors.png:
//   GATEHOUSE_SCREENSHOT_DIR=docs/screenshots QT_QPA_PLATFORM=offscreen
//   build/tests/ui_factorsconsole
#include "consoletesting.h"

#include "consolecontext.h"
#include "crypto/passwordhasher.h"
#include "crypto/totp.h"
#include "dialogs/factorsdialog.h"
#include "models/usertablemodel.h"
#include "pages/userpanel.h"
#include "pages/userspage.h"
#include "services.h"

#include <QDir>
#include <QLabel>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace {
// A confirmed authenticator app for `userId`; returns its secret.
QByteArray enrolTotp(TestServer &server, const QString &userId, const QString &label)
{
    Factors &factors = server.services().factors;
    const TotpEnrolment e = factors.beginTotp(userId, u"someone"_s, label, u"test"_s);
    const QByteArray secret = *Totp::fromBase32(e.secret);
    const QString code = Totp::at(secret, server.clock().nowSecs());
    if (!factors.confirmTotp(userId, e.factor.id, code, u"test"_s).ok())
        qFatal("the enrolment was not confirmed");
    return secret;
}

QString panelText(UserPanel *panel)
{
    QStringList texts;
    for (QLabel *label : panel->findChildren<QLabel *>())
        texts << label->text();
    return texts.join(u'\n');
}

int rowOf(UserTableModel *model, const QString &userId)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->userAt(row) && model->userAt(row)->id == userId)
            return row;
    return -1;
}
} // namespace

class TstFactorsConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void panelDialogAndRemoval();
};

void TstFactorsConsole::panelDialogAndRemoval()
{
    ConsoleFixture f;
    Services &s = f.server.services();
    User draft;
    draft.username = u"amelia"_s;
    draft.displayName = u"Amelia Hart"_s;
    draft.email = u"amelia.hart@example.org"_s;
    draft.passwordHash = PasswordHasher::hash("correct horse battery");
    const QString amelia = s.users.create(draft)->id;
    const QByteArray secret = enrolTotp(f.server, amelia, u"Pixel 8"_s);
    f.server.clock().advanceSecs(86'400); // listed oldest first
    (void)s.factors.addPasskey(amelia, u"YubiKey 5C"_s, u"test"_s);
    f.server.clock().advanceSecs(3600);
    // Signed in with the app an hour later: its "last used" is set.
    QVERIFY(
        s.factors.checkTotp(amelia, Totp::at(secret, f.server.clock().nowSecs()), u"test"_s).ok());
    QVERIFY(s.factors.useRecoveryCode(amelia, u"not a code"_s, u"test"_s).refusal().kind ==
            Refusal::Kind::WrongCode);
    s.settings.requireAdminSecondFactor = true;

    MainWindow &window = *f.window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showPage(MainWindow::Users);
    QVERIFY(f.settle());
    UsersPage *users = window.users();
    // The window was built before amelia: the live feed brings her row in.
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(users->model(), amelia) >= 0, 10000);

    // The default admin has no factor while the policy is on: the panel says what that means.
    users->view()->selectRow(rowOf(users->model(), s.users.byUsername(u"admin"_s)->id));
    QVERIFY(f.settle());
    QVERIFY2(panelText(users->panel()).contains(u"none — required for administrators"_s),
             qPrintable(panelText(users->panel())));

    const int row = rowOf(users->model(), amelia);
    QVERIFY(row >= 0);
    users->view()->selectRow(row);
    QVERIFY(f.settle());
    QVERIFY2(panelText(users->panel()).contains(u"TOTP, passkey · 10 recovery codes left"_s),
             qPrintable(panelText(users->panel())));

    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(QDir().mkpath(dir));
        QTest::qWait(150);
        QVERIFY(window.grab().save(QDir(dir).filePath(u"users-factors.png"_s)));
    }

    ConsoleContext context{s, f.control, f.secretStore, window.workers(), window.live()};
    FactorsDialog dialog(context, *s.users.byId(amelia), &window);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(f.settle());
    QCOMPARE(dialog.factors()->rowCount(), 2);
    QCOMPARE(dialog.factors()->data(dialog.factors()->index(0, 0), Qt::DisplayRole).toString(),
             u"Authenticator app (TOTP)"_s);
    QCOMPARE(dialog.factors()->data(dialog.factors()->index(1, 1), Qt::DisplayRole).toString(),
             u"YubiKey 5C"_s);
    QCOMPARE(dialog.factors()->data(dialog.factors()->index(1, 3), Qt::DisplayRole).toString(),
             u"never"_s);
    QVERIFY(dialog.factors()->data(dialog.factors()->index(0, 3), Qt::DisplayRole).toString() !=
            u"never"_s);
    if (!dir.isEmpty()) {
        dialog.view()->selectRow(0);
        QTest::qWait(100);
        QVERIFY(dialog.grab().save(QDir(dir).filePath(u"user-factors.png"_s)));
    }

    // Removing the authenticator app: gone from the store, audited as the console's act.
    const Factor totp = dialog.factors()->rows().at(0);
    QSignalSpy changed(&dialog, &FactorsDialog::changed);
    dialog.remove(totp);
    QVERIFY(f.settle());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(dialog.factors()->rowCount(), 1);
    QCOMPARE(s.factors.kinds(amelia), QStringList{u"passkey"_s});
    s.audit.flush();
    const auto events = s.audit.query({u"factor.remove"_s, QString(), QString()});
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.first().actor, u"console"_s);
    QCOMPARE(events.first().surface, u"console"_s);
    QVERIFY(events.first().detail.contains(u"Pixel 8"_s));
}

QTEST_MAIN(TstFactorsConsole)
#include "tst_factorsconsole.moc"
