// SPDX-License-Identifier: GPL-3.0-or-later
// OidcSignin: a wallet signature (EIP-191 personal_sign of the wallet surface's
// Sign-In-with-Ethereum challenge, or a Solana wallet's signMessage of its counterpart),
// checked by the wallet surface's own code; the wallet's user is found or made as
// POST /login does (docs/api/wallet.md).
#include "http/apierror.h"
#include "http/body.h"
#include "oidc/signin.h"
#include "services.h"

using namespace Qt::StringLiterals;

namespace {

const QString kInvalid = u"invalid_request"_s;

// The wallet surface's login type for a wallet name the page sends.
QString walletType(const QString &wallet)
{
    static const QHash<QString, QString> types{{u"metamask"_s, u"Metamask"_s},
                                               {u"rabby"_s, u"Rabby"_s},
                                               {u"coinbase"_s, u"Coinbase"_s},
                                               {u"phantom"_s, u"Phantom"_s}};
    const QString type = types.value(wallet);
    if (type.isEmpty())
        throw ApiError(400, kInvalid, u"wallet must be metamask, rabby, coinbase or phantom"_s);
    return type;
}

} // namespace

// {request, csrf, wallet, address} -> {challenge}: the message to sign.
Response OidcSignin::walletChallenge(const Request &request)
{
    AuthRequest authRequest;
    const QJsonObject body = openJson(request, &authRequest);
    const QString wallet = Body::string(body, u"wallet"_s, kInvalid, 16);
    walletType(wallet);
    const QString address = Body::string(body, u"address"_s, kInvalid, 64);
    try {
        const auto issued = m_services.walletAuth.challenge(wallet, address, request.ip);
        return Response::json(QJsonObject{{u"challenge"_s, issued.message}});
    } catch (const Refusal &refusal) {
        throw ApiError(400, kInvalid, refusal.message);
    }
}

// {request, csrf, wallet, address, challenge, signature} -> {location}
Response OidcSignin::wallet(const Request &request)
{
    AuthRequest authRequest;
    const QJsonObject body = openJson(request, &authRequest);
    const QString type = walletType(Body::string(body, u"wallet"_s, kInvalid, 16));
    const QJsonObject data{{u"wallet_address"_s, Body::string(body, u"address"_s, kInvalid, 64)},
                           {u"challenge"_s, Body::string(body, u"challenge"_s, kInvalid, 2048)},
                           {u"signature"_s, Body::string(body, u"signature"_s, kInvalid, 256)}};
    QString userId;
    try {
        const IdentityKey identity = m_walletProof.prove(type, data);
        userId = m_services.walletAuth.directory().findOrCreate(identity);
        const auto user = m_services.users.byId(userId);
        if (!user || user->disabled)
            throw Refusal(Refusal::Kind::Inactive, u"account disabled"_s);
    } catch (const Refusal &refusal) {
        m_services.metrics.countLogin(Metrics::Oidc, false);
        auditRefusal(request, u"wallet"_s, authRequest.clientId, refusal.message);
        if (refusal.kind == Refusal::Kind::Inactive)
            throw ApiError(403, u"access_denied"_s, u"This account is disabled."_s);
        if (refusal.kind == Refusal::Kind::InvalidInput)
            throw ApiError(400, kInvalid, refusal.message);
        throw ApiError(401, u"access_denied"_s, u"The signature was not accepted."_s);
    }
    return signedIn(request, authRequest, userId, u"pop"_s, u"wallet ("_s + type + u')', true);
}
