// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/tokenclientauth.h"

#include "http/apierror.h"
#include "services.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

ApiError invalidRequest(const QString &why)
{
    return ApiError(400, u"invalid_request"_s, why);
}

// application/x-www-form-urlencoded decoding: '+' is a space, then percent-decoding.
QString formDecode(QByteArray text)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(text.replace('+', ' ')));
}

struct Presented
{
    QString id;
    QString secret;
    bool basic = false;
    bool post = false;
};

Presented presented(const Request &request, const TokenClientAuth::Form &form)
{
    Presented p;
    const QByteArray authorization = request.header("authorization");
    if (authorization.size() > 6 && authorization.left(6).toLower() == "basic ") {
        const auto decoded = QByteArray::fromBase64Encoding(
            authorization.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded.decoded.indexOf(':');
        if (!decoded || colon <= 0)
            throw invalidRequest(u"malformed Authorization: Basic header"_s);
        p.basic = true;
        p.id = formDecode(decoded.decoded.left(colon));
        p.secret = formDecode(decoded.decoded.mid(colon + 1));
    } else if (!authorization.isEmpty()) {
        throw invalidRequest(u"the client authenticates with HTTP Basic or the form"_s);
    }
    const QString formId = TokenClientAuth::field(form, u"client_id"_s);
    if (form.contains(u"client_secret"_s)) {
        if (p.basic) // RFC 6749 2.3: one method per request
            throw invalidRequest(u"client_secret_basic and client_secret_post together"_s);
        p.post = true;
        p.secret = form.value(u"client_secret"_s);
    }
    if (p.basic && !formId.isEmpty() && formId != p.id)
        throw invalidRequest(u"client_id differs from the Authorization header's"_s);
    if (!p.basic)
        p.id = formId;
    if (p.id.isEmpty())
        throw invalidRequest(u"no client_id (and no Authorization: Basic)"_s);
    return p;
}

[[noreturn]] void refuse(Services &services, const Request &request, const Presented &p,
                         const QString &why)
{
    if (const auto wait = services.limits.takeIp(request.ip))
        throw ApiError(429, u"invalid_client"_s,
                       u"too many failed client authentications from this address"_s)
            .withHeader("Retry-After", QByteArray::number(*wait));
    ApiError error(401, u"invalid_client"_s, why);
    if (p.basic) // RFC 6749 5.2: the scheme the client tried
        error.withHeader("WWW-Authenticate", "Basic realm=\"gatehouse\"");
    throw error;
}

} // namespace

namespace TokenClientAuth {

Form parseForm(const Request &request)
{
    const QByteArray type = request.header("content-type").split(';').first().trimmed().toLower();
    if (type != "application/x-www-form-urlencoded")
        throw invalidRequest(u"the body must be application/x-www-form-urlencoded"_s);
    Form form;
    QStringList seen;
    for (const QByteArray &pair : request.body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QString name = formDecode(eq < 0 ? pair : pair.left(eq));
        if (seen.contains(name))
            throw invalidRequest(u"parameter %1 is repeated"_s.arg(name));
        seen.append(name);
        const QString value = eq < 0 ? QString() : formDecode(pair.mid(eq + 1));
        if (!value.isEmpty()) // RFC 6749 3.1: an empty parameter is an omitted one
            form.insert(name, value);
    }
    return form;
}

QString field(const Form &form, const QString &name)
{
    return form.value(name);
}

OidcClient authenticate(Services &services, const Request &request, const Form &form,
                        Require require)
{
    const Presented p = presented(request, form);
    const auto client = services.oidc.clients.byId(p.id);
    if (!client)
        refuse(services, request, p, u"unknown client"_s);
    if (client->isPublic) {
        if (p.basic || p.post)
            refuse(services, request, p, u"a public client has no secret"_s);
        if (require == Require::Confidential)
            refuse(services, request, p, u"this endpoint needs a confidential client"_s);
        return *client;
    }
    if (!p.basic && !p.post)
        refuse(services, request, p, u"the client must authenticate"_s);
    if (!services.oidc.clients.checkSecret(client->id, p.secret.toUtf8()))
        refuse(services, request, p, u"wrong client secret"_s);
    return *client;
}

} // namespace TokenClientAuth
