// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/resetpasswordpage.h"

#include "pages/pagetemplate.h"

using namespace Qt::StringLiterals;

namespace ResetPasswordPage {

QByteArray html()
{
    static const QByteArray page = PageTemplate::named(u"reset-password.html"_s).render();
    return page;
}

} // namespace ResetPasswordPage
