// SPDX-License-Identifier: GPL-3.0-or-later
// The console's PIN roles page, offscreen, over a real in-process server: what it adds,
// ticks and removes is what a PIN login answers over HTTP.
#include "consoletesting.h"

#include "pages/rolespage.h"
#include "services.h"

#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableView>

using namespace Qt::StringLiterals;

class TstRolesPage : public QObject
{
    Q_OBJECT

private:
    static int rowOf(RolesPage *page, const QString &name)
    {
        for (int r = 0; r < page->model()->rowCount(); ++r)
            if (page->model()->at(r)->name == name)
                return r;
        return -1;
    }
    static QStringList loginPerms(TestServer &server, const QString &name)
    {
        const HttpReply reply =
            server.client().postJson("/auth/login", {{u"name"_s, name}, {u"pin"_s, u"0000"_s}});
        QStringList out;
        for (const QJsonValue &p : reply.json().value(u"perms").toArray())
            out << p.toObject().value(u"name").toString();
        return out;
    }

private Q_SLOTS:
    void listsSeededRoles();
    void addTickSaveRemove();
};

void TstRolesPage::listsSeededRoles()
{
    ConsoleFixture f;
    RolesPage *page = f.window->roles();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 5, 5000);
    const int admin = rowOf(page, u"admin"_s);
    QVERIFY(admin >= 0);
    page->view()->selectRow(admin);
    QCOMPARE(page->permissionList()->count(), 58); // the whole catalog, all ticked for admin
    for (int i = 0; i < page->permissionList()->count(); ++i)
        QCOMPARE(page->permissionList()->item(i)->checkState(), Qt::Checked);
}

void TstRolesPage::addTickSaveRemove()
{
    ConsoleFixture f;
    Services &services = f.server.services();
    RolesPage *page = f.window->roles();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 5, 5000);
    QSignalSpy done(page, &RolesPage::actionDone);

    page->nameField()->setText(u"Waiter"_s);
    QTest::keyClick(page->nameField(), Qt::Key_Return);
    QTRY_COMPARE(done.size(), 1);
    QVERIFY(done.at(0).at(1).toBool());
    QTRY_COMPARE(page->model()->rowCount(), 6);
    QVERIFY(page->nameField()->text().isEmpty());

    // A new role grants nothing: its users are refused at the till.
    const auto pin = services.pinAuth.setPin(u"wally"_s, u"0000"_s, true, u"test"_s);
    services.users.setRole(pin->id, u"waiter"_s, false);
    QCOMPARE(f.server.client()
                 .postJson("/auth/login", {{u"name"_s, u"wally"_s}, {u"pin"_s, u"0000"_s}})
                 .status,
             403);

    page->view()->selectRow(rowOf(page, u"waiter"_s));
    QListWidget *list = page->permissionList();
    for (int i = 0; i < list->count(); ++i) {
        QCOMPARE(list->item(i)->checkState(), Qt::Unchecked);
        if (list->item(i)->text() == u"orders_read" || list->item(i)->text() == u"tables_read")
            list->item(i)->setCheckState(Qt::Checked);
    }
    page->saveSelected();
    QTRY_COMPARE(done.size(), 2);
    QVERIFY(done.at(1).at(1).toBool());
    QCOMPARE(loginPerms(f.server, u"wally"_s), QStringList({u"orders_read"_s, u"tables_read"_s}));

    // Held by wally: refused, with the reason in a dialog.
    page->removeRole(u"waiter"_s);
    QTRY_COMPARE(done.size(), 3);
    QVERIFY(!done.at(2).at(1).toBool());
    QVERIFY(services.pinRoles.byName(u"waiter"_s));
    services.users.setRole(pin->id, u"user"_s, false);
    page->removeRole(u"waiter"_s);
    QTRY_COMPARE(done.size(), 4);
    QVERIFY(done.at(3).at(1).toBool());
    QTRY_COMPARE(page->model()->rowCount(), 5);
    QVERIFY(!services.pinRoles.byName(u"waiter"_s));

    // A bad name is refused, not added.
    page->addRole(u"no spaces"_s);
    QTRY_COMPARE(done.size(), 5);
    QVERIFY(!done.at(4).at(1).toBool());
    QVERIFY(f.settle());
    QCOMPARE(page->model()->rowCount(), 5);
}

QTEST_MAIN(TstRolesPage)
#include "tst_rolespage.moc"
