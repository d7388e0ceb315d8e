// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/settingfields.h"

#include "config/settings.h"
#include "config/settingstable.h"
#include "widgets/tables.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QSpinBox>

using namespace Qt::StringLiterals;

const SettingSpec &SettingFields::spec(const char *key, QWidget *widget, int scale)
{
    const SettingSpec *row = findSetting(QString::fromLatin1(key));
    Q_ASSERT_X(row, "SettingFields", key); // a key the table does not have is a typo here
    widget->setToolTip(QString(row->description).remove(u'`') + u'\n' + row->key);
    m_bindings.append({row, widget, scale});
    return *row;
}

QSpinBox *SettingFields::number(const char *key, const QString &suffix, const QString &special,
                                int scale)
{
    auto *box = PageUi::spinBox(0, 0, suffix, special);
    const SettingSpec &row = spec(key, box, scale);
    box->setRange(int(row.min / scale), int(row.max / scale));
    return box;
}

QCheckBox *SettingFields::check(const char *key, const QString &text)
{
    auto *box = new QCheckBox(text);
    spec(key, box);
    return box;
}

QLineEdit *SettingFields::text(const char *key)
{
    auto *edit = new QLineEdit;
    spec(key, edit);
    return edit;
}

void SettingFields::load(const Settings &settings) const
{
    for (const Binding &b : m_bindings) {
        const QVariant value = settingValue(settings, *b.spec);
        if (auto *box = qobject_cast<QSpinBox *>(b.widget))
            box->setValue(int(value.toLongLong() / b.scale));
        else if (auto *check = qobject_cast<QCheckBox *>(b.widget))
            check->setChecked(value.toBool());
        else if (auto *edit = qobject_cast<QLineEdit *>(b.widget))
            edit->setText(value.toString());
    }
}

void SettingFields::apply(Settings &settings) const
{
    for (const Binding &b : m_bindings) {
        QVariant value;
        if (auto *box = qobject_cast<QSpinBox *>(b.widget))
            value = qint64(box->value()) * b.scale;
        else if (auto *check = qobject_cast<QCheckBox *>(b.widget))
            value = check->isChecked();
        else if (auto *edit = qobject_cast<QLineEdit *>(b.widget))
            value = edit->text().trimmed();
        setSettingValue(settings, *b.spec, value);
    }
}
