// SPDX-License-Identifier: GPL-3.0-or-later
// The audit page's columns (shared with the overview): a merged row shows its count.
#include "pages/auditpage.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TstAuditColumns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timesShownWhenRepeated();
};

void TstAuditColumns::timesShownWhenRepeated()
{
    const int times = int(AuditPage::headers().indexOf(u"Times"_s));
    const int detail = int(AuditPage::headers().indexOf(u"Detail"_s));
    QVERIFY(times > 0 && detail == times + 1);
    AuditEvent once{.action = u"namespace.auth"_s, .result = u"denied"_s, .detail = u"expired"_s};
    QCOMPARE(AuditPage::cell(once, times, Qt::DisplayRole).toString(), QString());
    QVERIFY(!AuditPage::cell(once, times, Qt::ToolTipRole).isValid());
    AuditEvent flood = once;
    flood.repeats = 1234;
    QCOMPARE(AuditPage::cell(flood, times, Qt::DisplayRole).toString(), u"×1,234"_s);
    QVERIFY(AuditPage::cell(flood, times, Qt::ToolTipRole).toString().contains(u"1,234"));
    QCOMPARE(AuditPage::cell(flood, detail, Qt::DisplayRole).toString(), u"expired"_s);
}

QTEST_MAIN(TstAuditColumns)
#include "tst_auditcolumns.moc"
