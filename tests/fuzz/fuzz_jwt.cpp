// SPDX-License-Identifier: GPL-3.0-or-later
// JWT (HS256, ours) and JWS (RS256/ES256, third parties). Byte 0 chooses the mode:
// - raw: the rest is a token. Jwt::verify must refuse it unless its signature is the
//   canonical base64url HMAC of its first two segments under the purpose's key
//   (recomputed here with OpenSSL), with alg HS256 and an exp in the future; a token
//   for one purpose never verifies for another; Jws::verify refuses it (the fuzzer
//   holds no private key).
// - round trip: the rest becomes claims; sign then verify gives them back, and any
//   one-byte change to the token (position and value from the input) is refused.
#include "crypto/base64url.h"
#include "crypto/jws.h"
#include "crypto/jwt.h"
#include "fuzzsupport.h"
#include "referencehmac.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNow = 1'800'000'000;
const QByteArray kMasterKey = "fuzz-master-key-0123456789abcdef";

struct Keys
{
    Jwt login{kMasterKey, u"login"};
    Jwt reset{kMasterKey, u"reset"};
    JwsSigner es = JwsSigner::generate(JwsSigner::Algorithm::ES256, u"es"_s);
    JwsSigner rs = JwsSigner::generate(JwsSigner::Algorithm::RS256, u"rs"_s);
    QJsonObject jwks{{u"keys"_s, QJsonArray{es.publicJwk(), rs.publicJwk()}}};
};

Keys &keys()
{
    static Keys k;
    return k;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    Keys &k = keys();
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (!(data[0] & 1)) {
        const auto login = k.login.verify(rest, kNow);
        const auto reset = k.reset.verify(rest, kNow);
        FUZZ_CHECK(!(login && reset));
        if (login) {
            const qsizetype last = rest.lastIndexOf('.');
            const QByteArray key = referenceHmacSha256(kMasterKey, "gatehouse-jwt:login");
            FUZZ_CHECK(rest.sliced(last + 1) ==
                       Base64Url::encode(referenceHmacSha256(key, rest.first(last))));
            const auto header = Base64Url::decodeObject(rest.first(rest.indexOf('.')));
            FUZZ_CHECK(header && header->value(u"alg").toString() == u"HS256");
            FUZZ_CHECK(login->value(u"exp").toDouble() > double(kNow));
        }
        (void)Jws::keyId(rest);
        FUZZ_CHECK(!Jws::verify(rest, k.jwks));
        return 0;
    }
    // Claims: the input as a string claim, plus numbers from its first bytes.
    QJsonObject claims{{u"sub"_s, QString::fromUtf8(rest)},
                       {u"exp"_s, double(kNow + 1 + (size % 1000))}};
    if (size > 2)
        claims.insert(u"n"_s, double(data[1]) * 1000 + data[2]);
    const QByteArray token = k.login.sign(claims);
    const auto back = k.login.verify(token, kNow);
    FUZZ_CHECK(back && *back == claims);
    FUZZ_CHECK(!k.reset.verify(token, kNow));
    const JwsSigner &signer = (data[0] & 2) && size < 64 ? k.rs : k.es;
    const QByteArray jws = signer.sign(claims);
    const auto verified = Jws::verify(jws, k.jwks);
    FUZZ_CHECK(verified && verified->payload == claims);
    if (size > 4) {
        const qsizetype at = ((data[1] << 8) | data[2]) % jws.size();
        QByteArray changed = jws;
        changed[at] = char(data[3]);
        if (changed != jws)
            FUZZ_CHECK(!Jws::verify(changed, k.jwks));
        QByteArray changedJwt = token;
        changedJwt[((data[1] << 8) | data[2]) % token.size()] = char(data[3]);
        if (changedJwt != token)
            FUZZ_CHECK(!k.login.verify(changedJwt, kNow));
    }
    return 0;
}
