// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/migrations.h"

// Tables of the pin (seed 002) and device (seed 003) surfaces.
QStringList migration0003PinAndDevice()
{
    return {};
}
