// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/tables.h"

#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QSpinBox>
#include <QTableView>

using namespace Qt::StringLiterals;

void Tables::setUp(QTableView *view, bool multiSelect)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(multiSelect ? QAbstractItemView::ExtendedSelection
                                       : QAbstractItemView::SingleSelection);
    view->setShowGrid(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTabKeyNavigation(false); // Tab leaves the table, arrows move inside
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

int Tables::currentRow(const QAbstractItemView *view)
{
    const QModelIndex current = view->currentIndex();
    if (!current.isValid() || !view->selectionModel() ||
        !view->selectionModel()->isRowSelected(current.row(), {}))
        return -1;
    return current.row();
}

QLabel *PageUi::title(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

QLabel *PageUi::hint(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QMessageBox *PageUi::showError(QWidget *parent, const QString &what, const QString &error)
{
    // Window-modal but not blocking: no nested event loop, so live updates go on.
    auto *box = new QMessageBox(QMessageBox::Warning, what,
                                error.isEmpty() ? QObject::tr("Something went wrong.") : error,
                                QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(u"errorBox"_s);
    box->open();
    return box;
}

QSpinBox *PageUi::spinBox(int min, int max, const QString &suffix, const QString &special)
{
    auto *box = new QSpinBox;
    box->setRange(min, max);
    box->setSuffix(suffix);
    if (!special.isEmpty())
        box->setSpecialValueText(special);
    box->setMaximumWidth(160);
    return box;
}
