// SPDX-License-Identifier: GPL-3.0-or-later
// The console's Settings page reads the settings table: its number fields have the
// table's ranges and tooltips, load and apply go through the table's members, and the
// restart notice names every setting that changed.
#include "config/settingschanges.h"
#include "config/settingstable.h"
#include "consoletesting.h"
#include "pages/settingspage.h"
#include "services.h"
#include "widgets/policyfields.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QLineEdit>
#include <QSpinBox>

class TstSettingsFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void numberFieldsHaveTheTablesRanges();
    void fieldsLoadAndApplyThroughTheTable();
    void everyChangeNeedsARestart_data();
    void everyChangeNeedsARestart();
};

void TstSettingsFields::numberFieldsHaveTheTablesRanges()
{
    ConsoleFixture f;
    SettingsPage *page = f.window->settings();
    const QList<std::pair<QSpinBox *, const char *>> fields = {
        {page->listenerThreads, "server/threads"},
        {page->workerThreads, "server/workers"},
        {page->maxConnections, "server/max_connections"},
        {page->idleTimeout, "server/idle_timeout"},
        {page->requestTimeout, "server/request_timeout"},
        {page->namespaceTokenMinutes, "namespace/token_minutes"},
        {page->policy->pinAccess, "lifetimes/pin_access_seconds"},
        {page->policy->apiToken, "lifetimes/api_token_days"},
        {page->policy->pinFreeFailures, "limits/pin_free_failures"},
        {page->policy->codeResend, "limits/code_resend_seconds"},
    };
    for (const auto &[box, key] : fields) {
        const SettingSpec *spec = findSetting(QString::fromLatin1(key));
        QVERIFY2(spec, key);
        QCOMPARE(box->minimum(), int(spec->min));
        QCOMPARE(box->maximum(), int(spec->max));
        QVERIFY2(box->toolTip().contains(spec->key), qPrintable(box->toolTip()));
    }
    // Bytes shown as KiB.
    const SettingSpec *body = findSetting(u"server/max_body_bytes");
    QCOMPARE(page->maxBodyKiB->maximum(), int(body->max / 1024));
    QCOMPARE(page->maxBodyKiB->value(), int(f.server.services().settings.maxBodyBytes / 1024));
}

void TstSettingsFields::fieldsLoadAndApplyThroughTheTable()
{
    ConsoleFixture f;
    SettingsPage *page = f.window->settings();
    Settings s = f.server.services().settings;
    s.maxBodyBytes = 8 << 10;
    s.idleTimeoutSecs = 42;
    s.deviceSurface = false;
    s.codeResendSecs = 90;
    s.mailFrom = u"a@example.org"_s;
    s.appleClientId = u"org.example.app"_s;
    page->load(s);
    QCOMPARE(page->maxBodyKiB->value(), 8);
    QCOMPARE(page->idleTimeout->value(), 42);
    QVERIFY(!page->surfaces[3]->isChecked());
    QCOMPARE(page->policy->codeResend->value(), 90);
    QCOMPARE(page->mailFrom->text(), u"a@example.org"_s);

    page->requestTimeout->setValue(17);
    page->surfaces[3]->setChecked(true);
    page->policy->walletSession->setValue(4);
    page->appleClientId->setText(u"  org.example.other "_s);
    QString error;
    const auto form = page->formSettings(&error);
    QVERIFY2(form, qPrintable(error));
    QCOMPARE(form->requestTimeoutSecs, 17);
    QVERIFY(form->deviceSurface);
    QCOMPARE(form->walletSessionDays, 4);
    QCOMPARE(form->appleClientId, u"org.example.other"_s); // trimmed
    QCOMPARE(form->maxBodyBytes, qint64(8 << 10));
    QCOMPARE(form->idleTimeoutSecs, 42);
}

void TstSettingsFields::everyChangeNeedsARestart_data()
{
    QTest::addColumn<QString>("key");
    for (const SettingSpec &spec : settingsTable())
        if (!spec.secret && !spec.perProvider())
            QTest::newRow(spec.key.toUtf8().constData()) << spec.key;
}

void TstSettingsFields::everyChangeNeedsARestart()
{
    QFETCH(QString, key);
    const SettingSpec &spec = *findSetting(key);
    const Settings running;
    QVERIFY(settingsNeedingRestart(running, running).isEmpty());
    Settings saved = running;
    // A value other than the default, of the row's type.
    QVariant other;
    switch (spec.type) {
    case SettingType::Integer:
        other = settingValue(running, spec).toLongLong() == spec.max ? spec.min : spec.max;
        break;
    case SettingType::Boolean:
        other = !settingValue(running, spec).toBool();
        break;
    case SettingType::List:
        other = QStringList{u"10.0.0.1"_s};
        break;
    case SettingType::Address:
        other = u"[::1]:4321"_s;
        break;
    case SettingType::Choice:
        other = spec.choices.last();
        break;
    case SettingType::Text:
        other = u"/other"_s;
        break;
    }
    setSettingValue(saved, spec, other);
    QVERIFY(settingValue(saved, spec) != settingValue(running, spec));
    const QStringList restart = settingsNeedingRestart(running, saved);
    QCOMPARE(restart, QStringList{QCoreApplication::translate("Settings", spec.group)});
}

QTEST_MAIN(TstSettingsFields)
#include "tst_settingsfields.moc"
