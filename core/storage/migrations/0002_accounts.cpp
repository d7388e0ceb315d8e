// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Tables of the account surface (seed 004).
QStringList migration0002Accounts()
{
    return {};
}
