// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/walletauth.h"

#include "clock.h"
#include "config/settings.h"
#include "crypto/ethaddress.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "identity/audit.h"
#include "identity/tokenstore.h"
#include "identity/users.h"
#include "identity/walletrefusal.h"
#include "storage/storageerror.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace {

const QString kSurface = QStringLiteral("wallet");

[[noreturn]] void refuse(WalletRefusal::Kind kind, const QString &message)
{
    throw WalletRefusal(kind, message);
}

QString resultOf(const WalletRefusal &refusal)
{
    return refusal.kind == WalletRefusal::ProviderUnreachable ||
                   refusal.kind == WalletRefusal::Failed
               ? u"error"_qs
               : u"denied"_qs;
}

} // namespace

WalletAuth::WalletAuth(const Database &db, const Clock &clock, const Settings &settings,
                       const Secrets &secrets, Users &users, TokenStore &tokens, Outbox &outbox,
                       AuditLog &audit)
    : m_db(db), m_clock(clock), m_settings(settings), m_users(users), m_tokens(tokens),
      m_outbox(outbox), m_audit(audit), m_cache(clock),
      m_providers(settings, secrets, clock, m_cache), m_states(db, clock),
      m_codes(db, clock, secrets, {settings.codeAttempts, settings.codeResendSecs * 1000LL}),
      m_challenges(db, clock), m_directory(db, clock, secrets, users),
      m_signIn(settings, secrets, clock, m_codes, m_challenges, m_states, m_providers, m_cache)
{}

void WalletAuth::record(const QString &actor, const QString &action, const QString &subject,
                        const QString &ip, const QString &result, const QString &detail)
{
    m_audit.record({0, 0, actor, action, subject, kSurface, ip, result, detail});
}

bool WalletAuth::redirectAllowed(const QString &uri, const QStringList &allowlist)
{
    static const QRegularExpression unsafe(u"[\\\\\\s\\x00-\\x1f\\x7f]"_qs);
    if (uri.isEmpty() || uri.size() > 2048 || uri.contains(unsafe))
        return false;
    const QUrl url = QUrl(uri, QUrl::StrictMode).adjusted(QUrl::NormalizePathSegments);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty() || !url.userInfo().isEmpty() ||
        url.hasFragment() || url.path(QUrl::FullyEncoded).contains(u"/.."))
        return false;
    for (const QString &entry : allowlist) {
        const QUrl allowed(entry.trimmed(), QUrl::StrictMode);
        if (!allowed.isValid() || allowed.host().isEmpty())
            continue;
        if (allowed.scheme().compare(url.scheme(), Qt::CaseInsensitive) != 0 ||
            allowed.host().compare(url.host(), Qt::CaseInsensitive) != 0 ||
            allowed.port() != url.port())
            continue;
        QString base = allowed.path(QUrl::FullyEncoded);
        const QString path = url.path(QUrl::FullyEncoded);
        if (base.isEmpty() || base == u"/" || path == base)
            return true;
        if (!base.endsWith(u'/'))
            base += u'/';
        if (path.startsWith(base))
            return true;
    }
    return false;
}

WalletAuth::OAuthStart WalletAuth::startOAuth(const QString &provider, const QString &redirectUri,
                                              const QString &state, const QString &codeChallenge,
                                              const QString &ip)
{
    static const QRegularExpression stateChars(u"^[A-Za-z0-9._~-]{8,256}$"_qs);
    static const QRegularExpression challengeChars(u"^[A-Za-z0-9_-]{43}$"_qs);
    if (!m_providers.known(provider))
        refuse(WalletRefusal::Invalid, u"Invalid provider"_qs);
    if (!stateChars.match(state).hasMatch())
        refuse(WalletRefusal::Invalid, u"Invalid state: 8-256 characters of [A-Za-z0-9._~-]"_qs);
    if (!challengeChars.match(codeChallenge).hasMatch())
        refuse(WalletRefusal::Invalid,
               u"Invalid code_challenge: base64url(SHA-256(code_verifier)), 43 characters"_qs);
    if (!redirectAllowed(redirectUri, m_settings.redirectAllowlist))
        refuse(WalletRefusal::Invalid, u"redirect_uri is not on the allow-list"_qs);
    // Resolve the provider first: a discovery failure must not burn the state.
    const QString url =
        m_providers.authorizeUrl(provider, m_signIn.callbackUrl(), state, codeChallenge);
    if (!m_states.create(state, provider, redirectUri, codeChallenge))
        refuse(WalletRefusal::Invalid, u"Duplicate state"_qs);
    record(u"anonymous"_qs, u"wallet.oauth.init"_qs, provider, ip, u"ok"_qs, redirectUri);
    return {m_providers.clientId(provider), url};
}

QString WalletAuth::oauthCallback(const QString &state, const QString &code, const QString &error,
                                  const QString &ip)
{
    if (state.isEmpty() || state.size() > 256 || (code.isEmpty() && error.isEmpty()))
        refuse(WalletRefusal::Invalid, u"Invalid state"_qs);
    const auto row = m_states.takeCallback(state);
    if (!row) {
        record(u"anonymous"_qs, u"wallet.oauth.callback"_qs, QString(), ip, u"denied"_qs,
               u"unknown, used or expired state"_qs);
        refuse(WalletRefusal::Invalid, u"Invalid state"_qs);
    }
    QUrl target(row->redirectUri);
    QUrlQuery query(target);
    auto add = [&](const QString &name, const QString &value) {
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add(u"wallet_oauth_provider"_qs, row->provider);
    add(u"wallet_oauth_state"_qs, state);
    if (!code.isEmpty())
        add(u"wallet_oauth_code"_qs, code);
    else
        add(u"wallet_oauth_error"_qs, error.left(200));
    target.setQuery(query.toString(QUrl::FullyEncoded), QUrl::StrictMode);
    record(u"anonymous"_qs, u"wallet.oauth.callback"_qs, row->provider, ip,
           code.isEmpty() ? u"denied"_qs : u"ok"_qs, code.isEmpty() ? error.left(200) : QString());
    return target.toString(QUrl::FullyEncoded);
}

void WalletAuth::sendCode(const QString &email, const QString &phone, const QString &ip)
{
    if (email.isEmpty() == phone.isEmpty())
        refuse(WalletRefusal::Invalid, u"Give either email or phone"_qs);
    const bool byEmail = !email.isEmpty();
    const QString recipient = byEmail ? WalletSignIn::normalizedEmail(email) : phone;
    if (byEmail ? recipient.isEmpty() : !WalletSignIn::isE164(phone))
        refuse(WalletRefusal::Invalid,
               byEmail ? u"Invalid email"_qs : u"Invalid phone: use E.164, e.g. +8612312341234"_qs);
    const QString channel = byEmail ? u"email"_qs : u"sms"_qs;
    const QString code = m_codes.issue(channel, recipient);
    if (code.isEmpty()) {
        record(u"anonymous"_qs, u"wallet.code.send"_qs, recipient, ip, u"denied"_qs,
               u"rate limited"_qs);
        refuse(WalletRefusal::RateLimited, u"rate limited"_qs);
    }
    try {
        if (byEmail)
            m_outbox.enqueueEmail(recipient, u"Your sign-in code"_qs,
                                  QStringLiteral("Your sign-in code is %1.\n\nIt expires in 10 "
                                                 "minutes. If you did not ask for it, ignore this "
                                                 "message.\n")
                                      .arg(Outbox::secret(code)));
        else
            m_outbox.enqueueSms(recipient,
                                QStringLiteral("Your sign-in code is %1 (valid 10 minutes).")
                                    .arg(Outbox::secret(code)));
    } catch (const StorageError &) {
        m_codes.discard(channel, recipient);
        refuse(WalletRefusal::Failed, u"send failed"_qs);
    }
    record(u"anonymous"_qs, u"wallet.code.send"_qs, recipient, ip, u"ok"_qs, channel);
}

WalletChallenges::Issued WalletAuth::challenge(const QString &method, const QString &address,
                                               const QString &ip)
{
    const QString m = method.toLower();
    QString shown = address;
    if (WalletChallenges::isSolanaMethod(m)) {
        if (!WalletSignIn::isSolanaAddress(address))
            refuse(WalletRefusal::Invalid, u"Invalid id: expected a base58 Solana address"_qs);
    } else if (WalletChallenges::isEvmMethod(m)) {
        if (!EthAddress::isValid(address))
            refuse(WalletRefusal::Invalid, u"Invalid id: expected a 0x Ethereum address"_qs);
        shown = EthAddress::checksummed(address);
    } else {
        refuse(WalletRefusal::Invalid, u"Invalid method"_qs);
    }
    const auto issued = m_challenges.create(m, shown, m_settings.publicUrl);
    record(u"anonymous"_qs, u"wallet.challenge"_qs, shown, ip, u"ok"_qs, m);
    return issued;
}

std::optional<QString> WalletAuth::sessionUser(const QByteArray &sessionToken)
{
    if (sessionToken.isEmpty() || sessionToken.size() > 256)
        return std::nullopt;
    const auto token = m_tokens.findLive(TokenKind::wallet, sessionToken);
    if (!token)
        return std::nullopt;
    const auto user = m_users.byId(token->userId);
    if (!user || user->disabled || token->createdAt < user->tokensValidAfter)
        return std::nullopt;
    m_tokens.touch(*token);
    return user->id;
}

WalletAuth::Session WalletAuth::login(const QString &type, const QJsonObject &data,
                                      const QString &ip, const QString &label)
{
    IdentityKey identity;
    try {
        identity = m_signIn.prove(type, data);
    } catch (const WalletRefusal &refusal) {
        record(u"anonymous"_qs, u"wallet.login"_qs, type, ip, resultOf(refusal), refusal.message);
        throw;
    }
    const QString userId = m_directory.findOrCreate(identity);
    const auto user = m_users.byId(userId);
    if (!user || user->disabled) {
        record(userId, u"wallet.login"_qs, identity.kind, ip, u"denied"_qs, u"account disabled"_qs);
        refuse(WalletRefusal::Unauthorized, u"Account disabled"_qs);
    }
    Session session;
    session.token = Random::urlToken(32).toLatin1();
    const QString data_ =
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"method"_qs, identity.kind}, {u"ip"_qs, ip}})
                              .toJson(QJsonDocument::Compact));
    m_tokens.issue(TokenKind::wallet, userId, session.token, sessionLifetimeMs(), label, data_);
    session.profile = m_directory.profile(userId).value_or(WalletProfile{userId, {}, {}});
    record(userId, u"wallet.login"_qs, identity.kind + u':' + identity.display, ip, u"ok"_qs, type);
    return session;
}

WalletProfile WalletAuth::bind(const QByteArray &sessionToken, const QString &type,
                               const QJsonObject &data, const QString &ip)
{
    const auto userId = sessionUser(sessionToken);
    if (!userId)
        refuse(WalletRefusal::Unauthorized, u"Not authenticated"_qs);
    IdentityKey identity;
    try {
        identity = m_signIn.prove(type, data);
    } catch (const WalletRefusal &refusal) {
        record(*userId, u"wallet.bind"_qs, type, ip, resultOf(refusal), refusal.message);
        throw;
    }
    if (m_directory.bind(*userId, identity) == WalletDirectory::Bind::OwnedByOther) {
        record(*userId, u"wallet.bind"_qs, identity.kind + u':' + identity.display, ip,
               u"denied"_qs, u"linked to another account"_qs);
        refuse(WalletRefusal::Conflict, u"This login method is linked to another account"_qs);
    }
    record(*userId, u"wallet.bind"_qs, identity.kind + u':' + identity.display, ip, u"ok"_qs, type);
    return m_directory.profile(*userId).value_or(WalletProfile{*userId, {}, {}});
}

std::optional<WalletProfile> WalletAuth::current(const QByteArray &sessionToken)
{
    const auto userId = sessionUser(sessionToken);
    if (!userId)
        return std::nullopt;
    return m_directory.profile(*userId);
}

bool WalletAuth::logout(const QByteArray &sessionToken, const QString &ip)
{
    if (sessionToken.isEmpty() || sessionToken.size() > 256)
        return false;
    const auto token = m_tokens.findLive(TokenKind::wallet, sessionToken);
    if (!token)
        return false;
    m_tokens.revoke(token->id);
    record(token->userId, u"wallet.logout"_qs, token->id, ip, u"ok"_qs, QString());
    return true;
}

qint64 WalletAuth::sessionLifetimeMs() const
{
    return m_settings.walletSessionDays * 24LL * 3600 * 1000;
}
