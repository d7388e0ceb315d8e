// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/tables.h"
#include "workers.h"

#include <QPointer>
#include <QProgressDialog>

// Runs slow work (argon2id hashing, a big delete) on the workers behind a modal
// "busy" dialog, then calls `then` with the result. Failures are shown in a message
// box titled `title` and `then` is not called.
namespace Busy {

template <typename Work, typename Then>
void run(QWidget *parent, Workers &workers, const QString &title, const QString &label, Work work,
         Then then)
{
    auto *progress = new QProgressDialog(label, QString(), 0, 0, parent);
    progress->setWindowTitle(title);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->show();
    QPointer<QProgressDialog> dialog(progress);
    workers.run(parent, std::move(work), [parent, dialog, title, then](auto result) mutable {
        if (dialog)
            dialog->close();
        if (!result) {
            PageUi::showError(parent, title, result.error());
            return;
        }
        then(*result);
    });
}

} // namespace Busy
