// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Tables of the wallet surface (seed 001).
QStringList migration0004Wallet()
{
    return {};
}
