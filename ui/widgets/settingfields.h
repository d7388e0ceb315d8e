// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

struct Settings;
struct SettingSpec;
class QCheckBox;
class QLineEdit;
class QSpinBox;
class QWidget;

// Console fields made from rows of the settings table: the range comes from the table,
// the tooltip is the row's description and file key, and load/apply go through the
// member the row names, so a page lists only labels and the keys it shows.
class SettingFields
{
public:
    // An Integer row, shown in units of `scale` (1024: bytes as KiB); `special` names
    // the minimum ("one per core").
    QSpinBox *number(const char *key, const QString &suffix = QString(),
                     const QString &special = QString(), int scale = 1);
    QCheckBox *check(const char *key, const QString &text);
    QLineEdit *text(const char *key); // trimmed when applied

    void load(const Settings &settings) const;
    void apply(Settings &settings) const;

private:
    struct Binding
    {
        const SettingSpec *spec;
        QWidget *widget;
        int scale;
    };
    const SettingSpec &spec(const char *key, QWidget *widget, int scale = 1);
    QList<Binding> m_bindings;
};
