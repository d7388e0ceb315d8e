// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Tables of the admin console.
QStringList migration0005Console()
{
    return {};
}
