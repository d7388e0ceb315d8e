// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QAbstractItemView;
class QLabel;
class QMessageBox;
class QSpinBox;
class QTableView;
class QWidget;

// Small helpers that make every page look and behave alike.
namespace Tables {
// Row selection, no grid, alternating rows, fixed row height (cheap with a million
// rows), last column stretched, keyboard friendly.
void setUp(QTableView *view, bool multiSelect = false);
// The row of the current index, or -1.
int currentRow(const QAbstractItemView *view);
} // namespace Tables

namespace PageUi {
QLabel *title(const QString &text); // a page heading
QLabel *hint(const QString &text);  // a muted explanatory line
// A number field of the forms' width; `special` names the minimum ("one per core").
QSpinBox *spinBox(int min, int max, const QString &suffix = QString(),
                  const QString &special = QString());
// Non-blocking, window-modal; deletes itself when closed.
QMessageBox *showError(QWidget *parent, const QString &what, const QString &error);
} // namespace PageUi
