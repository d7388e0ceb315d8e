// SPDX-License-Identifier: GPL-3.0-or-later
// The console's OpenID signing keys dialog, offscreen, over a real in-process server:
// opened from the Gatehouse menu, it lists the keys; "Rotate now" asks first, then makes
// new current keys on a worker, which the served JWKS shows next to the retired ones.
#include "consoletesting.h"

#include "dialogs/signingkeysdialog.h"
#include "services.h"

#include <QAction>
#include <QJsonArray>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

// Answers the next modal question with `button` once it shows.
void answerNextQuestion(QMessageBox::StandardButton button)
{
    QTimer::singleShot(50, [button] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (box)
            box->button(button)->click();
    });
}

QString cell(QTableView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

int jwksSize(TestServer &server)
{
    return int(
        server.client().get("/.well-known/jwks.json").json().value(u"keys").toArray().size());
}

} // namespace

class TstSigningKeysDialog : public QObject
{
    Q_OBJECT

private:
    static SigningKeysDialog *openFromMenu(ConsoleFixture &f)
    {
        QAction *entry = nullptr;
        for (QAction *menu : f.window->menuBar()->actions())
            if (menu->menu())
                for (QAction *action : menu->menu()->actions())
                    if (action->text().contains(u"signing keys"_s))
                        entry = action;
        if (!entry)
            return nullptr;
        entry->trigger();
        return f.window->findChild<SigningKeysDialog *>();
    }

private Q_SLOTS:
    void listsTheKeys();
    void cancelKeepsTheKeys();
    void rotateNow();
};

void TstSigningKeysDialog::listsTheKeys()
{
    ConsoleFixture f;
    const QByteArray token = f.server.services().oidc.keys.sign({{u"sub"_s, u"u1"_s}});
    (void)f.server.services().oidc.keys.jwks();
    SigningKeysDialog *dialog = openFromMenu(f);
    QVERIFY(dialog);
    QVERIFY(f.settle());
    QTableView *view = dialog->view();
    QCOMPARE(view->model()->rowCount(), 2); // RS256 made by the signature, ES256 by the JWKS
    QSet<QString> algs;
    for (int row = 0; row < 2; ++row) {
        algs << cell(view, row, 1);
        QCOMPARE(cell(view, row, 3), u"current: signs new tokens"_s);
    }
    QCOMPARE(algs, QSet<QString>({u"RS256"_s, u"ES256"_s}));
    bool listed = false;
    for (int row = 0; row < 2; ++row)
        listed = listed || cell(view, row, 0) == Jws::keyId(token);
    QVERIFY(listed);
}

void TstSigningKeysDialog::cancelKeepsTheKeys()
{
    ConsoleFixture f;
    SigningKeys &keys = f.server.services().oidc.keys;
    (void)keys.jwks();
    SigningKeysDialog *dialog = openFromMenu(f);
    QVERIFY(dialog && f.settle());
    answerNextQuestion(QMessageBox::Cancel);
    dialog->rotateButton()->click();
    QVERIFY(f.settle());
    QCOMPARE(keys.list().size(), 2);
    QCOMPARE(dialog->view()->model()->rowCount(), 2);
}

void TstSigningKeysDialog::rotateNow()
{
    ConsoleFixture f;
    SigningKeys &keys = f.server.services().oidc.keys;
    const QByteArray old = keys.sign({{u"sub"_s, u"u1"_s}});
    QCOMPARE(jwksSize(f.server), 2);
    SigningKeysDialog *dialog = openFromMenu(f);
    QVERIFY(dialog && f.settle());
    QSignalSpy rotated(dialog, &SigningKeysDialog::rotated);
    answerNextQuestion(QMessageBox::Yes);
    dialog->rotateButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(rotated.size(), 1, 20000);
    QCOMPARE(rotated.first().first().toBool(), true);
    QVERIFY(f.settle());
    QVERIFY2(dialog->status().startsWith(u"New current keys"_s), qPrintable(dialog->status()));

    QTableView *view = dialog->view();
    QCOMPARE(view->model()->rowCount(), 4);
    int retired = 0;
    for (int row = 0; row < 4; ++row) {
        if (cell(view, row, 3).startsWith(u"retired"_s)) {
            ++retired;
            QVERIFY(cell(view, row, 3).contains(u"published until"_s));
        }
    }
    QCOMPARE(retired, 2);
    QVERIFY(Jws::keyId(keys.sign({{u"sub"_s, u"u1"_s}})) != Jws::keyId(old));
    QCOMPARE(jwksSize(f.server), 4); // the retired keys stay published for the overlap

    Services &s = f.server.services();
    s.audit.flush();
    AuditFilter filter;
    filter.text = u"oidc.keys.rotate"_s;
    const QList<AuditEvent> events = s.audit.query(filter);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().surface, u"console"_s);
}

QTEST_MAIN(TstSigningKeysDialog)
#include "tst_signingkeysdialog.moc"
