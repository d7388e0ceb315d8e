// SPDX-License-Identifier: GPL-3.0-or-later
#include "anonymouslimits.h"

#include "services.h"

using namespace Qt::StringLiterals;

namespace {

[[noreturn]] void refuse(int waitSecs, const QString &detail)
{
    throw ApiError(429, u"Too many requests, try again later"_s, detail)
        .withHeader("Retry-After", QByteArray::number(waitSecs));
}

} // namespace

namespace AnonymousLimits {

void takeIp(Services &services, const Request &request)
{
    if (const auto wait = services.limits.takeIp(request.ip))
        refuse(*wait, u"more than %1 requests a minute from this address"_s.arg(
                          services.limits.options().anonymousPerMinute));
}

void takeTarget(Services &services, const QString &kind, const QString &target)
{
    QString key = target.trimmed().toLower();
    if (kind == u"phone") { // "+1 (555) 010-0000" and "+15550100000" are one number
        key.removeIf([](QChar c) { return !c.isDigit(); });
    }
    if (const auto wait = services.limits.takeTarget(kind, key))
        refuse(*wait, u"more than %1 messages an hour to this %2"_s
                          .arg(services.limits.options().perTargetPerHour)
                          .arg(kind == u"phone" ? u"phone number"_s : u"address"_s));
}

Handler wrap(Services &services, Handler handler)
{
    return [&services, handler = std::move(handler)](const Request &request) {
        takeIp(services, request);
        return handler(request);
    };
}

} // namespace AnonymousLimits
