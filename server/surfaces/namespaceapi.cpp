// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/namespaceapi.h"

#include "http/apierror.h"
#include "http/body.h"
#include "router.h"
#include "services.h"
#include "surfaces/userjson.h"

using namespace Qt::StringLiterals;

namespace {

const QString kInvalidBody = u"Invalid body"_s;

Response grantResponse(const NamespaceAuth::Grant &grant)
{
    return Response::jsonBody(grantJsonText(grant));
}

// The surface's one refusal mapping: {"error": message}, 401 for every reason a login
// fails (the origin's "not_bound" included), 409 "already_bound", 503 without Telegram.
ApiError toApiError(const Refusal &r)
{
    using K = Refusal::Kind;
    switch (r.kind) {
    case K::BadCredentials:
    case K::TokenInvalid:
    case K::TokenExpired:
    case K::NotFound:
    case K::Inactive:
        return ApiError(401, r.message);
    case K::Conflict:
    case K::AlreadyVerified:
        return ApiError(409, r.message);
    case K::NotConfigured:
        return ApiError(503, r.message);
    case K::InvalidInput:
        return ApiError(400, r.message);
    case K::NoRole:
    case K::Forbidden:
    case K::LastAdmin:
    case K::WrongCode:
        return ApiError(403, r.message);
    case K::Locked:
    case K::RateLimited:
        return ApiError(429, r.message)
            .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, r.retryAfterSecs)));
    case K::ProviderUnreachable:
    case K::Internal:
        break;
    }
    return ApiError(500, u"Internal server error"_s);
}

Response finish(const Result<NamespaceAuth::Grant> &outcome, Metrics &metrics)
{
    metrics.countLogin(Metrics::Namespace, outcome.ok());
    if (!outcome)
        throw toApiError(outcome.refusal());
    return grantResponse(*outcome);
}

} // namespace

void NamespaceApi::addRoutes(Router &router)
{
    router.addPrefix(u"/api/"_s, ErrorShape::Error, Metrics::Namespace);
    using N = NamespaceApi;
    const RouteTable<N> table(*this, m_services, Metrics::Namespace, ErrorShape::Error);
    table.add(router, {
                          // the access token or the Telegram initData is in the body
                          {"POST", u"/api/auth", Auth::None, Runs::Inline, &N::auth},
                          {"POST", u"/api/bind", Auth::None, Runs::Inline, &N::bind},
                      });
}

// {accessToken} or {initData}, mutually exclusive.
Response NamespaceApi::auth(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const auto accessToken = Body::optionalString(body, u"accessToken"_s, kInvalidBody);
    const auto initData = Body::optionalString(body, u"initData"_s, kInvalidBody, 8192);
    if (accessToken.has_value() == initData.has_value())
        throw ApiError(400, kInvalidBody, u"give exactly one of accessToken and initData"_s);
    NamespaceAuth &auth = m_services.namespaceAuth;
    return finish(accessToken ? auth.withAccessToken(*accessToken, request.ip)
                              : auth.withInitData(*initData, request.ip),
                  m_services.metrics);
}

// {initData, accessToken}, both required.
Response NamespaceApi::bind(const Request &request)
{
    const QJsonObject body = Body::object(request, kInvalidBody);
    const QString initData = Body::string(body, u"initData"_s, kInvalidBody, 8192);
    const QString accessToken = Body::string(body, u"accessToken"_s, kInvalidBody);
    return finish(m_services.namespaceAuth.bind(initData, accessToken, request.ip),
                  m_services.metrics);
}
