// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/authloginapi.h"

#include "http/apierror.h"
#include "router.h"
#include "services.h"
#include "surfaces/deviceaccountapi.h"
#include "surfaces/deviceapi.h"
#include "surfaces/pinapi.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

[[noreturn]] void neither(const QString &message)
{
    throw ApiError(400, message)
        .withBody(QJsonObject{{u"error"_s, message}, {u"message"_s, message}});
}

// Errors of the chosen surface in that surface's own shape.
template <typename Call> Response shaped(ErrorShape shape, Call call)
{
    try {
        return call();
    } catch (const ApiError &error) {
        return errorResponse(shape, error);
    }
}

} // namespace

AuthLoginApi::AuthLoginApi(Services &services) : m_services(services)
{
    if (services.settings.pinSurface)
        m_pin = std::make_unique<PinApi>(services);
    if (services.settings.deviceSurface) {
        m_device = std::make_unique<DeviceApi>(services);
        m_deviceAccount = std::make_unique<DeviceAccountApi>(services);
    }
}

AuthLoginApi::~AuthLoginApi() = default;

void AuthLoginApi::addRoutes(Router &router)
{
    // Errors outside any route under /auth/ (404, 405, guard refusals): device's shape
    // when it is on; PinApi adds /auth/refresh and /auth/logout with its own.
    router.addPrefix(u"/auth/"_s, m_device ? ErrorShape::Error : ErrorShape::Message,
                     m_device ? Metrics::Device : Metrics::Pin);
    if (m_pin)
        m_pin->addRoutes(router);
    if (m_device) {
        m_device->addRoutes(router);
        m_deviceAccount->addRoutes(router);
    }
    using L = AuthLoginApi;
    const RouteTable<L> table(*this, m_services, m_pin ? Metrics::Pin : Metrics::Device,
                              m_device ? ErrorShape::Error : ErrorShape::Message);
    table.add(router, {
                          // argon2id for PINs: on the pool
                          {"POST", u"/auth/login", Auth::None, Runs::OnPool, &L::login},
                      });
}

Response AuthLoginApi::login(const Request &request)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        neither(u"Body must be a JSON object"_s);
    const QJsonObject body = doc.object();
    if (m_pin && body.contains(u"pin"))
        return shaped(ErrorShape::Message, [&] { return m_pin->login(request, body); });
    if (m_device && body.contains(u"username"))
        return shaped(ErrorShape::Error, [&] { return m_device->login(request, body); });
    if (m_pin && m_device)
        neither(u"Expected {name, pin} or {username, email, session_platform}"_s);
    neither(m_pin ? u"Name and PIN are required"_s
                  : u"Expected {username, email, session_platform}"_s);
}
