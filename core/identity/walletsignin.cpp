// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/walletsignin.h"

#include "clock.h"
#include "config/secrets.h"
#include "config/settings.h"
#include "crypto/base58.h"
#include "crypto/digest.h"
#include "crypto/ed25519.h"
#include "crypto/ethaddress.h"
#include "identity/oauthstates.h"
#include "identity/users.h"
#include "identity/walletchallenges.h"
#include "identity/walletcodes.h"
#include "jsonnumber.h"
#include "providers/idtoken.h"
#include "providers/oauthproviders.h"
#include "providers/telegram.h"
#include "refusal.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

const QString kAppleIssuer = u"https://appleid.apple.com"_s;

[[noreturn]] void refuse(Refusal::Kind kind, const QString &message)
{
    throw Refusal(kind, message);
}

QString field(const QJsonObject &data, const QString &name, int maxLength = 4096)
{
    const QJsonValue value = data.value(name);
    QString text;
    if (value.isString())
        text = value.toString();
    else if (const auto number = jsonInteger(value); number && name == u"code")
        text = QString::number(*number).rightJustified(6, u'0'); // {"code": 123456}
    if (text.isEmpty() || text.size() > maxLength)
        refuse(Refusal::Kind::InvalidInput, u"Missing or invalid %1"_s.arg(name));
    return text;
}

// Phantom returns base58; other Solana wallets and SDKs hand out base64.
QList<QByteArray> signatureCandidates(const QString &text)
{
    QList<QByteArray> out;
    if (const auto b58 = Base58::decode(text.toLatin1()); b58 && b58->size() == 64)
        out << *b58;
    const auto b64 =
        QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (b64 && b64.decoded.size() == 64)
        out << *b64;
    return out;
}

Refusal codeRefusal(WalletCodes::Check check)
{
    switch (check) {
    case WalletCodes::Check::Expired:
        return {Refusal::Kind::TokenExpired, u"Verification code expired"_s};
    case WalletCodes::Check::TooManyAttempts:
        return {Refusal::Kind::Locked, u"Too many attempts; request a new code"_s};
    default:
        return {Refusal::Kind::WrongCode, u"Invalid verification code"_s};
    }
}

} // namespace

WalletSignIn::WalletSignIn(const Settings &settings, const Secrets &secrets, const Clock &clock,
                           WalletCodes &codes, WalletChallenges &challenges, OAuthStates &states,
                           OAuthProviders &providers, RemoteJsonCache &cache)
    : m_settings(settings), m_secrets(secrets), m_clock(clock), m_codes(codes),
      m_challenges(challenges), m_states(states), m_providers(providers), m_cache(cache)
{}

QString WalletSignIn::callbackUrl() const
{
    return m_settings.publicUrl + u"/oauth/callback"_s;
}

QString WalletSignIn::normalizedEmail(const QString &email)
{
    const QString lower = email.trimmed().toLower();
    return Users::isValidEmail(lower) ? lower : QString();
}

bool WalletSignIn::isE164(const QString &phone)
{
    static const QRegularExpression pattern(u"^\\+[1-9][0-9]{6,14}$"_s);
    return pattern.match(phone).hasMatch();
}

bool WalletSignIn::isSolanaAddress(const QString &address)
{
    if (address.size() < 32 || address.size() > 44)
        return false;
    const auto raw = Base58::decode(address.toLatin1());
    return raw && raw->size() == Ed25519::kPublicKeySize;
}

QString WalletSignIn::pkceChallenge(const QString &verifier)
{
    return QString::fromLatin1(
        Digest::sha256(verifier.toLatin1())
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool WalletSignIn::isPkceVerifier(const QString &verifier)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9._~-]{43,128}$"_s);
    return pattern.match(verifier).hasMatch();
}

IdentityKey WalletSignIn::prove(const QString &type, const QJsonObject &data)
{
    const QString t = type.toLower();
    if (t == u"email")
        return email(data);
    if (t == u"phone")
        return phone(data);
    if (t == u"phantom")
        return wallet(u"Phantom"_s, true, data);
    if (t == u"okx")
        return wallet(u"Okx"_s, true, data);
    if (t == u"metamask")
        return wallet(u"Metamask"_s, false, data);
    if (t == u"rabby")
        return wallet(u"Rabby"_s, false, data);
    if (t == u"coinbase")
        return wallet(u"Coinbase"_s, false, data);
    if (t == u"telegram")
        return telegram(data);
    if (t == u"apple")
        return apple(data);
    if (t.endsWith(u"oauth") && t.size() > 5)
        return oauth(t.chopped(5), data);
    refuse(Refusal::Kind::InvalidInput, u"Invalid login type"_s);
}

IdentityKey WalletSignIn::email(const QJsonObject &data)
{
    const QString address = normalizedEmail(field(data, u"email"_s, 254));
    if (address.isEmpty())
        refuse(Refusal::Kind::InvalidInput, u"Missing or invalid email"_s);
    const QString code = field(data, u"code"_s, 16);
    const auto check = m_codes.verify(u"email"_s, address, code);
    if (check != WalletCodes::Check::Ok)
        throw codeRefusal(check);
    return {.kind = u"email"_s, .subject = address, .display = address};
}

IdentityKey WalletSignIn::phone(const QJsonObject &data)
{
    const QString number = field(data, u"phone"_s, 16);
    if (!isE164(number))
        refuse(Refusal::Kind::InvalidInput, u"Missing or invalid phone"_s);
    const QString code = field(data, u"code"_s, 16);
    const auto check = m_codes.verify(u"sms"_s, number, code);
    if (check != WalletCodes::Check::Ok)
        throw codeRefusal(check);
    return {.kind = u"phone"_s, .subject = number, .display = number};
}

IdentityKey WalletSignIn::wallet(const QString &walletType, bool solana, const QJsonObject &data)
{
    const QString address = field(data, u"wallet_address"_s, 64);
    const QString challenge = field(data, u"challenge"_s, 2048);
    const QString signature = field(data, u"signature"_s, 256);
    if (solana ? !isSolanaAddress(address) : !EthAddress::isValid(address))
        refuse(Refusal::Kind::InvalidInput, u"Missing or invalid wallet_address"_s);
    const auto pending = m_challenges.find(challenge);
    if (!pending)
        refuse(Refusal::Kind::BadCredentials, u"Unknown challenge"_s);
    const bool family = solana ? WalletChallenges::isSolanaMethod(pending->method)
                               : WalletChallenges::isEvmMethod(pending->method);
    const bool sameAddress =
        solana ? pending->address == address : pending->address.toLower() == address.toLower();
    if (!family || !sameAddress)
        refuse(Refusal::Kind::BadCredentials, u"The challenge was issued for another wallet"_s);
    if (pending->usedAt != 0)
        refuse(Refusal::Kind::BadCredentials, u"Challenge already used"_s);
    if (pending->expiresAt <= m_clock.nowMs())
        refuse(Refusal::Kind::BadCredentials, u"Challenge expired"_s);

    const QByteArray message = challenge.toUtf8();
    bool valid = false;
    if (solana) {
        const QByteArray publicKey = *Base58::decode(address.toLatin1());
        for (const QByteArray &candidate : signatureCandidates(signature))
            valid = valid || Ed25519::verify(publicKey, message, candidate);
    } else {
        const auto raw = EthAddress::parseSignatureHex(signature);
        if (!raw)
            refuse(Refusal::Kind::InvalidInput, u"Missing or invalid signature"_s);
        const auto signer = EthAddress::recoverPersonal(message, *raw);
        valid = signer && signer->toLower() == address.toLower();
    }
    if (!valid)
        refuse(Refusal::Kind::BadCredentials, u"Invalid signature"_s);
    if (!m_challenges.consume(pending->nonce))
        refuse(Refusal::Kind::BadCredentials, u"Challenge already used"_s);
    if (solana)
        return {
            .kind = u"solana"_s, .subject = address, .display = address, .walletType = walletType};
    return {.kind = u"ethereum"_s,
            .subject = address.toLower(),
            .display = EthAddress::checksummed(address.toLower()),
            .walletType = walletType};
}

IdentityKey WalletSignIn::telegram(const QJsonObject &data)
{
    const QByteArray botToken = m_secrets.telegramBotToken();
    if (botToken.isEmpty())
        refuse(Refusal::Kind::NotConfigured, u"Telegram login is not configured"_s);
    const auto user = Telegram::verifyLoginWidget(data, botToken, m_clock.nowSecs());
    if (!user)
        refuse(Refusal::Kind::BadCredentials, user.error());
    const QString id = QString::number(user->id);
    return {.kind = u"telegram"_s,
            .subject = id,
            .display = user->username.isEmpty() ? id : user->username};
}

IdentityKey WalletSignIn::apple(const QJsonObject &data)
{
    if (m_settings.appleClientId.isEmpty())
        refuse(Refusal::Kind::NotConfigured, u"Apple login is not configured"_s);
    const QString id = field(data, u"id"_s, 256);
    const QString token = field(data, u"identity_token"_s, 16384);
    const QJsonObject claims = IdToken::verify(
        token.toLatin1(),
        {m_settings.appleJwksUrl, kAppleIssuer, m_settings.appleClientId, u"Apple"_s},
        m_clock.nowSecs(), m_cache);
    const QString subject = claims.value(u"sub"_s).toString();
    if (subject != id)
        refuse(Refusal::Kind::BadCredentials, u"Invalid Apple token: sub does not match id"_s);
    const QString mail = claims.value(u"email"_s).toString();
    return {.kind = u"apple"_s, .subject = subject, .display = mail.isEmpty() ? subject : mail};
}

IdentityKey WalletSignIn::oauth(const QString &provider, const QJsonObject &data)
{
    if (!m_providers.known(provider))
        refuse(Refusal::Kind::InvalidInput, u"Invalid provider"_s);
    const QString state = field(data, u"state"_s, 512);
    const QString code = field(data, u"code"_s, 4096);
    const QString verifier = field(data, u"code_verifier"_s, 128);
    // Single use: consumed before anything else can fail.
    const auto row = m_states.consume(state);
    if (!row || row->provider != provider)
        refuse(Refusal::Kind::InvalidInput, u"Invalid state"_s);
    if (!isPkceVerifier(verifier) ||
        !Digest::equal(pkceChallenge(verifier).toLatin1(), row->codeChallenge.toLatin1()))
        refuse(Refusal::Kind::BadCredentials, u"code_verifier does not match the code_challenge"_s);
    const OAuthIdentity who = m_providers.exchange(provider, code, verifier, callbackUrl());
    QString display = who.email.isEmpty() ? who.name : who.email;
    return {.kind = provider,
            .subject = who.subject,
            .display = display.isEmpty() ? who.subject : display};
}
