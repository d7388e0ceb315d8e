// SPDX-License-Identifier: GPL-3.0-or-later
#include "workers.h"

#include "identity/accounterror.h"

using namespace Qt::StringLiterals;

Workers::Workers(QObject *parent) : QObject(parent)
{
    // Three threads: a slow query or a password hash never holds up the others, and
    // the database sees at most three console connections.
    m_pool.setMaxThreadCount(3);
    m_pool.setExpiryTimeout(-1); // keep threads (and their connections) alive
}

Workers::~Workers()
{
    m_pool.waitForDone();
}

QString Workers::describe(const std::exception &e)
{
    if (const auto *account = dynamic_cast<const AccountError *>(&e))
        return account->detail.isEmpty() ? u"refused"_s : account->detail;
    return QString::fromUtf8(e.what());
}
