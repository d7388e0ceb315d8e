// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/signinpage.h"

#include "crypto/digest.h"
#include "oidc/flowpages.h"
#include "pages/pagetemplate.h"

using namespace Qt::StringLiterals;

namespace SigninPage {

namespace {

// The attribute a section or a control gets: shown (or focused) or hidden.
QString shownIf(bool shown, const QString &whenShown = QString())
{
    return shown ? whenShown : u"hidden"_s;
}

QString secondHint(const QStringList &methods)
{
    const bool code = methods.contains(u"totp"_s) || methods.contains(u"recovery_code"_s);
    if (!code)
        return u"Confirm with your passkey to finish signing in."_s;
    if (methods.contains(u"passkey"_s))
        return u"Enter the code from your authenticator app (or a recovery code), or use "
               u"your passkey."_s;
    return u"Enter the code from your authenticator app, or a recovery code."_s;
}

} // namespace

Response render(const View &view, int status)
{
    const bool start = view.stage == Stage::Start;
    const bool second = view.stage == Stage::SecondStep;
    const bool hasError = !view.error.isEmpty();
    const bool codeForm =
        view.methods.contains(u"totp"_s) || view.methods.contains(u"recovery_code"_s);
    const QHash<QString, QString> values{
        {u"client"_s, view.clientName.isEmpty() ? u"an application"_s : view.clientName},
        {u"request"_s, view.requestId},
        {u"csrf"_s, QString::fromLatin1(view.csrf)},
        {u"error"_s, view.error},
        {u"error_attrs"_s, shownIf(hasError, u"autofocus"_s)},
        {u"notice"_s, view.notice},
        {u"notice_attrs"_s, shownIf(!view.notice.isEmpty())},
        {u"email"_s, view.email},
        {u"email_attrs"_s, hasError ? QString() : u"autofocus"_s},
        {u"start_attrs"_s, shownIf(start)},
        {u"code_method_attrs"_s, shownIf(view.offerEmailCode)},
        {u"code_attrs"_s, shownIf(view.stage == Stage::EmailCode)},
        {u"code_input_attrs"_s, hasError ? QString() : u"autofocus"_s},
        {u"second_attrs"_s, shownIf(second)},
        {u"second_hint"_s, secondHint(view.methods)},
        {u"second_form_attrs"_s, shownIf(codeForm)},
        {u"challenge"_s, view.challenge},
        {u"first"_s, view.first},
        {u"second_passkey"_s, view.methods.contains(u"passkey"_s) ? u"yes"_s : u"no"_s},
        {u"gone_attrs"_s, shownIf(view.stage == Stage::Gone)},
    };
    Response response =
        Response::html(PageTemplate::named(u"oidc-signin.html"_s).render(values), status);
    return FlowPages::allowingFormsTo(std::move(response), view.redirectUri);
}

QByteArray csrfToken(QByteArrayView signingKey, const QString &requestId)
{
    const QByteArray key = Digest::hmacSha256(signingKey, "gatehouse oidc sign-in csrf");
    return Digest::hmacSha256(key, requestId.toUtf8())
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool csrfMatches(QByteArrayView signingKey, const QString &requestId, QByteArrayView presented)
{
    return !requestId.isEmpty() && Digest::equal(csrfToken(signingKey, requestId), presented);
}

} // namespace SigninPage
