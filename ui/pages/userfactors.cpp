// SPDX-License-Identifier: GPL-3.0-or-later
// UsersPage: the selected user's second factors (the panel's line and the dialog).
#include "consolecontext.h"
#include "dialogs/factorsdialog.h"
#include "pages/userpanel.h"
#include "pages/userspage.h"
#include "services.h"
#include "workers.h"

using namespace Qt::StringLiterals;

void UsersPage::loadFactorSummary(const User &user)
{
    Services &s = m_context.services;
    const QString id = user.id;
    const bool admin = user.isAdmin;
    m_context.workers.run(
        this, [&s, id] { return std::pair(s.factors.list(id), s.factors.recoveryCodesLeft(id)); },
        [this, &s, id, admin](Result<std::pair<QList<Factor>, int>> loaded) {
            if (id != m_selectedId || !loaded)
                return;
            QString text = FactorsDialog::summary(loaded->first, loaded->second);
            // The policy bites here: say so where the admin's row is.
            if (admin && loaded->first.isEmpty() && s.settings.requireAdminSecondFactor)
                text += tr(" — required for administrators: cannot sign in with a password");
            m_panel->showFactors(text);
        });
}

void UsersPage::showFactors()
{
    const auto user = selectedUser();
    if (!user)
        return;
    auto *dialog = new FactorsDialog(m_context, *user, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &FactorsDialog::changed, this, [this, user = *user] {
        if (user.id == m_selectedId)
            loadFactorSummary(user);
    });
    dialog->open();
}
