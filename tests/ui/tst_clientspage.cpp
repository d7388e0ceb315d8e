// SPDX-License-Identifier: GPL-3.0-or-later
// The console's Clients page, offscreen, over a real in-process server: what the dialogs
// create, edit, rotate and remove is what OidcClients holds, and every secret shown once
// is one checkSecret accepts.
#include "consoletesting.h"

#include "dialogs/clientdialog.h"
#include "dialogs/clientsecretdialog.h"
#include "pages/clientspage.h"
#include "services.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace {

// The confirmation the page opened (window-modal, not blocking): press its button.
bool press(ClientsPage *page, const QString &buttonText)
{
    for (QMessageBox *box : page->findChildren<QMessageBox *>())
        for (QAbstractButton *b : box->buttons())
            if (b->text() == buttonText && box->isVisible()) {
                b->click();
                return true;
            }
    return false;
}

QString confirmationText(ClientsPage *page)
{
    for (QMessageBox *box : page->findChildren<QMessageBox *>())
        if (box->isVisible())
            return box->text();
    return {};
}

int auditCount(Services &services, const QString &action)
{
    services.audit.flush(); // record() batches its writes
    AuditFilter filter;
    filter.text = action;
    int n = 0;
    for (const AuditEvent &e : services.audit.query(filter))
        n += e.action == action && e.surface == u"console" ? 1 : 0;
    return n;
}

} // namespace

class TstClientsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createEditRotateRemove();
    void refusalsShowInline();
};

void TstClientsPage::createEditRotateRemove()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    OidcClients &store = services.oidc.clients;
    MainWindow &window = *f.window;
    window.resize(1280, 800);
    window.show();
    window.showPage(MainWindow::Clients);
    ClientsPage *page = window.clients();
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 0);
    QVERIFY(!page->rotateButton()->isEnabled());
    QSignalSpy done(page, &ClientsPage::actionDone);

    // Create: name, two redirect URIs, a post-logout URI, offline_access, first-party.
    page->newButton()->click();
    ClientDialog *dialog = page->openDialog();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(dialog->scopeBox(u"openid"_s)->isChecked());
    QVERIFY(!dialog->scopeBox(u"openid"_s)->isEnabled());
    dialog->nameField()->setText(u"Grafana"_s);
    dialog->redirectUrisField()->setPlainText(
        u"https://grafana.example.org/login/generic_oauth\n\nhttp://127.0.0.1:3000/cb\n"_s);
    dialog->postLogoutUrisField()->setPlainText(u"https://grafana.example.org/login"_s);
    dialog->scopeBox(u"offline_access"_s)->setChecked(true);
    dialog->firstPartyBox()->setChecked(true);
    dialog->algorithmBox()->setCurrentText(u"ES256"_s);
    dialog->submit();
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(done.at(0).at(1).toBool());
    QVERIFY(f.settle());
    QVERIFY(!page->openDialog());
    QCOMPARE(page->model()->rowCount(), 1);
    const OidcClient created = *page->model()->at(0);
    QCOMPARE(created.name, u"Grafana"_s);
    QCOMPARE(created.redirectUris.size(), 2);
    QCOMPARE(created.scopes,
             QStringList({u"openid"_s, u"profile"_s, u"email"_s, u"offline_access"_s}));
    QVERIFY(created.firstParty);
    QCOMPARE(created.idTokenAlg, u"ES256"_s);
    QCOMPARE(page->selected()->id, created.id);

    // The secret, shown once, is the client's secret.
    ClientSecretDialog *secretDialog = page->secretDialog();
    QVERIFY(secretDialog && secretDialog->isVisible());
    const QString firstSecret = secretDialog->secret();
    QVERIFY(store.checkSecret(created.id, firstSecret.toLatin1()));
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(secretDialog->grab().save(QDir(dir).filePath(u"clients-secret.png"_s)));
    }
    secretDialog->copyButton()->click();
    secretDialog->close();
    QTRY_VERIFY(!page->secretDialog());
    QCOMPARE(auditCount(services, u"oidc.client.add"_s), 1);

    // Edit: the dialog opens with the client's values; public-ness cannot change.
    page->editButton()->click();
    dialog = page->openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->nameField()->text(), u"Grafana"_s);
    QVERIFY(!dialog->publicBox()->isEnabled());
    QVERIFY(dialog->scopeBox(u"offline_access"_s)->isChecked());
    dialog->nameField()->setText(u"Grafana (prod)"_s);
    dialog->scopeBox(u"email"_s)->setChecked(false);
    dialog->firstPartyBox()->setChecked(false);
    dialog->submit();
    QTRY_COMPARE(done.size(), 2);
    QVERIFY(done.at(1).at(1).toBool());
    QVERIFY(f.settle());
    const auto edited = store.byId(created.id);
    QCOMPARE(edited->name, u"Grafana (prod)"_s);
    QVERIFY(!edited->scopes.contains(u"email"_s));
    QVERIFY(!edited->firstParty);
    QVERIFY(!page->secretDialog()); // editing shows no secret
    QVERIFY(store.checkSecret(created.id, firstSecret.toLatin1()));
    QCOMPARE(auditCount(services, u"oidc.client.update"_s), 1);

    // A second client, so the screenshot has a public one.
    OidcClient mobile;
    mobile.name = u"Shop app"_s;
    mobile.isPublic = true;
    mobile.redirectUris = {u"org.example.shop:/oauth2redirect"_s};
    mobile.scopes = {u"openid"_s, u"profile"_s, u"offline_access"_s};
    QVERIFY(store.add(mobile));
    page->reload();
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 2);
    page->select(created.id);
    if (!dir.isEmpty())
        QVERIFY(window.grab().save(QDir(dir).filePath(u"clients.png"_s)));

    // Rotate: confirmed first; the old secret stops, the shown one works.
    page->rotateButton()->click();
    QVERIFY(confirmationText(page).contains(u"stops working"_s));
    QVERIFY(press(page, u"Rotate secret"_s));
    QTRY_COMPARE(done.size(), 3);
    QVERIFY(done.at(2).at(1).toBool());
    QTRY_VERIFY(page->secretDialog());
    const QString rotated = page->secretDialog()->secret();
    QVERIFY(rotated != firstSecret);
    QVERIFY(store.checkSecret(created.id, rotated.toLatin1()));
    QVERIFY(!store.checkSecret(created.id, firstSecret.toLatin1()));
    QCOMPARE(auditCount(services, u"oidc.client.rotate"_s), 1);
    page->secretDialog()->close();
    QVERIFY(f.settle());

    // A public client has no secret to rotate.
    page->select(store.list().at(1).id);
    QCOMPARE(page->selected()->name, u"Shop app"_s);
    QVERIFY(!page->rotateButton()->isEnabled());

    // Remove: the confirmation names what goes; Cancel keeps it, the button removes it.
    page->select(created.id);
    page->removeButton()->click();
    QVERIFY(confirmationText(page).contains(u"token"_s));
    QVERIFY(confirmationText(page).contains(created.id));
    QVERIFY(press(page, u"Cancel"_s));
    QVERIFY(f.settle());
    QVERIFY(store.byId(created.id));
    page->removeButton()->click();
    QVERIFY(press(page, u"Remove client"_s));
    QTRY_COMPARE(done.size(), 4);
    QVERIFY(done.at(3).at(1).toBool());
    QVERIFY(f.settle());
    QVERIFY(!store.byId(created.id));
    QCOMPARE(page->model()->rowCount(), 1);
    QCOMPARE(auditCount(services, u"oidc.client.remove"_s), 1);
}

void TstClientsPage::refusalsShowInline()
{
    ConsoleFixture f;
    ClientsPage *page = f.window->clients();
    QVERIFY(f.settle());
    QSignalSpy done(page, &ClientsPage::actionDone);
    ClientDialog *dialog = page->openCreateDialog();

    // Checked in the form: the dialog says why and stays open; nothing is saved.
    dialog->nameField()->setText(u"Bad"_s);
    dialog->redirectUrisField()->setPlainText(u"http://app.example.org/cb"_s);
    dialog->submit();
    QVERIFY(dialog->errorLabel()->isVisible() || !dialog->errorLabel()->isHidden());
    QCOMPARE(dialog->errorLabel()->text(),
             OidcClients::redirectUriProblem(u"http://app.example.org/cb"_s));
    dialog->redirectUrisField()->setPlainText(u"javascript:alert(1)"_s);
    dialog->submit();
    QVERIFY(dialog->errorLabel()->text().contains(u"javascript"_s));
    dialog->redirectUrisField()->setPlainText(u"https://app.example.org/cb#x"_s);
    dialog->submit();
    QVERIFY(dialog->errorLabel()->text().contains(u"fragment"_s));
    QCOMPARE(done.size(), 0);

    // Refused by OidcClients (the form leaves names over 100 characters to it).
    dialog->redirectUrisField()->setPlainText(u"https://app.example.org/cb"_s);
    dialog->nameField()->setMaxLength(200);
    dialog->nameField()->setText(QString(150, u'n'));
    dialog->submit();
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(!done.at(0).at(1).toBool());
    QVERIFY(f.settle());
    QCOMPARE(page->openDialog(), dialog);
    QVERIFY(dialog->errorLabel()->text().contains(u"name"_s));
    QVERIFY(f.server.services().oidc.clients.list().isEmpty());
    QVERIFY(!page->secretDialog());

    // A public client: created without a secret, so no secret dialog.
    dialog->nameField()->setText(u"Native"_s);
    dialog->redirectUrisField()->setPlainText(u"com.example.native:/cb"_s);
    dialog->publicBox()->setChecked(true);
    dialog->submit();
    QTRY_COMPARE(done.size(), 2);
    QVERIFY(done.at(1).at(1).toBool());
    QVERIFY(f.settle());
    QVERIFY(!page->secretDialog());
    QCOMPARE(page->model()->rowCount(), 1);
    QVERIFY(page->model()->at(0)->isPublic);
}

QTEST_MAIN(TstClientsPage)
#include "tst_clientspage.moc"
