// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"

#include <QString>

// The pages' stylesheets and scripts, compiled in from resources/pages and served as
// files, so the pages' Content-Security-Policy allows only 'self' (no 'unsafe-inline').
namespace PageAssets {

// GET handler body for resources/pages/<name>; 404 when there is no such file.
Response file(const QString &name);

} // namespace PageAssets
