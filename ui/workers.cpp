// SPDX-License-Identifier: GPL-3.0-or-later
#include "workers.h"

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
