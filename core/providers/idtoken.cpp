// SPDX-License-Identifier: GPL-3.0-or-later
#include "providers/idtoken.h"

#include "crypto/jws.h"
#include "jsonnumber.h"
#include "providers/remotejsoncache.h"
#include "refusal.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace IdToken {
namespace {

[[noreturn]] void refuse(const Expected &e, const QString &why)
{
    throw Refusal(Refusal::Kind::BadCredentials, u"Invalid %1 token: %2"_s.arg(e.who, why));
}

} // namespace

QJsonObject verify(QByteArrayView token, const Expected &expected, qint64 nowSecs,
                   RemoteJsonCache &cache)
{
    if (token.isEmpty() || token.size() > 16384)
        refuse(expected, u"missing or too long"_s);
    const QString kid = Jws::keyId(token);
    const RemoteJsonCache::Fetched keys = cache.get(expected.jwksUrl, [&](const QJsonObject &set) {
        return kid.isEmpty() || Jws::hasKey(set, kid);
    });
    if (!keys.ok())
        throw Refusal(Refusal::Kind::ProviderUnreachable,
                      u"Cannot fetch the %1 signing keys: %2"_s.arg(expected.who, keys.error));
    const auto verified = Jws::verify(token, keys.document);
    if (!verified)
        refuse(expected, verified.error());
    const QJsonObject claims = verified->payload;

    if (claims.value(u"iss"_s).toString() != expected.issuer)
        refuse(expected, u"wrong issuer"_s);
    const QJsonValue aud = claims.value(u"aud"_s);
    QStringList audiences;
    if (aud.isString())
        audiences << aud.toString();
    for (const QJsonValue &a : aud.toArray())
        audiences << a.toString();
    if (expected.audience.isEmpty() || !audiences.contains(expected.audience))
        refuse(expected, u"wrong audience"_s);
    if (audiences.size() > 1 && claims.contains(u"azp"_s) &&
        claims.value(u"azp"_s).toString() != expected.audience)
        refuse(expected, u"wrong authorized party"_s);
    const auto exp = jsonInteger(claims.value(u"exp"_s));
    if (!exp || *exp + kClockSkewSecs <= nowSecs)
        refuse(expected, u"expired"_s);
    const auto iat = jsonInteger(claims.value(u"iat"_s));
    if (iat && *iat > nowSecs + kClockSkewSecs)
        refuse(expected, u"issued in the future"_s);
    if (claims.value(u"sub"_s).toString().isEmpty())
        refuse(expected, u"no subject"_s);
    return claims;
}

} // namespace IdToken
