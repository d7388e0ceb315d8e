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
#include "refusal.h"
#include "storage/storageerror.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kSurface = u"wallet"_s;

[[noreturn]] void refuse(Refusal::Kind kind, const QString &message)
{
    throw Refusal(kind, message);
}

QString resultOf(const Refusal &refusal)
{
    return refusal.kind == Refusal::Kind::ProviderUnreachable ||
                   refusal.kind == Refusal::Kind::Internal
               ? u"error"_s
               : u"denied"_s;
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

void WalletAuth::record(AuditEvent event)
{
    event.surface = kSurface;
    m_audit.record(std::move(event));
}

bool WalletAuth::redirectAllowed(const QString &uri, const QStringList &allowlist)
{
    static const QRegularExpression unsafe(u"[\\\\\\s\\x00-\\x1f\\x7f]"_s);
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
    static const QRegularExpression stateChars(u"^[A-Za-z0-9._~-]{8,256}$"_s);
    static const QRegularExpression challengeChars(u"^[A-Za-z0-9_-]{43}$"_s);
    if (!m_providers.known(provider))
        refuse(Refusal::Kind::InvalidInput, u"Invalid provider"_s);
    if (!stateChars.match(state).hasMatch())
        refuse(Refusal::Kind::InvalidInput,
               u"Invalid state: 8-256 characters of [A-Za-z0-9._~-]"_s);
    if (!challengeChars.match(codeChallenge).hasMatch())
        refuse(Refusal::Kind::InvalidInput,
               u"Invalid code_challenge: base64url(SHA-256(code_verifier)), 43 characters"_s);
    if (!redirectAllowed(redirectUri, m_settings.redirectAllowlist))
        refuse(Refusal::Kind::InvalidInput, u"redirect_uri is not on the allow-list"_s);
    // Resolve the provider first: a discovery failure must not burn the state.
    const QString url =
        m_providers.authorizeUrl(provider, m_signIn.callbackUrl(), state, codeChallenge);
    if (!m_states.create(state, provider, redirectUri, codeChallenge))
        refuse(Refusal::Kind::InvalidInput, u"Duplicate state"_s);
    record({.actor = u"anonymous"_s,
            .action = u"wallet.oauth.init"_s,
            .subject = provider,
            .ip = ip,
            .result = u"ok"_s,
            .detail = redirectUri});
    return {m_providers.clientId(provider), url};
}

QString WalletAuth::oauthCallback(const QString &state, const QString &code, const QString &error,
                                  const QString &ip)
{
    if (state.isEmpty() || state.size() > 256 || (code.isEmpty() && error.isEmpty()))
        refuse(Refusal::Kind::InvalidInput, u"Invalid state"_s);
    const auto row = m_states.takeCallback(state);
    if (!row) {
        record({.actor = u"anonymous"_s,
                .action = u"wallet.oauth.callback"_s,
                .ip = ip,
                .result = u"denied"_s,
                .detail = u"unknown, used or expired state"_s});
        refuse(Refusal::Kind::InvalidInput, u"Invalid state"_s);
    }
    QUrl target(row->redirectUri);
    QUrlQuery query(target);
    auto add = [&](const QString &name, const QString &value) {
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add(u"wallet_oauth_provider"_s, row->provider);
    add(u"wallet_oauth_state"_s, state);
    if (!code.isEmpty())
        add(u"wallet_oauth_code"_s, code);
    else
        add(u"wallet_oauth_error"_s, error.left(200));
    target.setQuery(query.toString(QUrl::FullyEncoded), QUrl::StrictMode);
    record({.actor = u"anonymous"_s,
            .action = u"wallet.oauth.callback"_s,
            .subject = row->provider,
            .ip = ip,
            .result = code.isEmpty() ? u"denied"_s : u"ok"_s,
            .detail = code.isEmpty() ? error.left(200) : QString()});
    return target.toString(QUrl::FullyEncoded);
}

void WalletAuth::sendCode(const QString &email, const QString &phone, const QString &ip)
{
    if (email.isEmpty() == phone.isEmpty())
        refuse(Refusal::Kind::InvalidInput, u"Give either email or phone"_s);
    const bool byEmail = !email.isEmpty();
    const QString recipient = byEmail ? WalletSignIn::normalizedEmail(email) : phone;
    if (byEmail ? recipient.isEmpty() : !WalletSignIn::isE164(phone))
        refuse(Refusal::Kind::InvalidInput,
               byEmail ? u"Invalid email"_s : u"Invalid phone: use E.164, e.g. +8612312341234"_s);
    const QString channel = byEmail ? u"email"_s : u"sms"_s;
    const QString code = m_codes.issue(channel, recipient);
    if (code.isEmpty()) {
        record({.actor = u"anonymous"_s,
                .action = u"wallet.code.send"_s,
                .subject = recipient,
                .ip = ip,
                .result = u"denied"_s,
                .detail = u"rate limited"_s});
        refuse(Refusal::Kind::RateLimited, u"rate limited"_s);
    }
    try {
        if (byEmail)
            m_outbox.enqueueEmail(recipient, u"Your sign-in code"_s,
                                  u"Your sign-in code is %1.\n\nIt expires in 10 "
                                  u"minutes. If you did not ask for it, ignore this "
                                  u"message.\n"_s.arg(Outbox::secret(code)));
        else
            m_outbox.enqueueSms(recipient, u"Your sign-in code is %1 (valid 10 minutes)."_s.arg(
                                               Outbox::secret(code)));
    } catch (const StorageError &) {
        m_codes.discard(channel, recipient);
        refuse(Refusal::Kind::Internal, u"send failed"_s);
    }
    record({.actor = u"anonymous"_s,
            .action = u"wallet.code.send"_s,
            .subject = recipient,
            .ip = ip,
            .result = u"ok"_s,
            .detail = channel});
}

WalletChallenges::Issued WalletAuth::challenge(const QString &method, const QString &address,
                                               const QString &ip)
{
    const QString m = method.toLower();
    QString shown = address;
    if (WalletChallenges::isSolanaMethod(m)) {
        if (!WalletSignIn::isSolanaAddress(address))
            refuse(Refusal::Kind::InvalidInput, u"Invalid id: expected a base58 Solana address"_s);
    } else if (WalletChallenges::isEvmMethod(m)) {
        if (!EthAddress::isValid(address))
            refuse(Refusal::Kind::InvalidInput, u"Invalid id: expected a 0x Ethereum address"_s);
        shown = EthAddress::checksummed(address);
    } else {
        refuse(Refusal::Kind::InvalidInput, u"Invalid method"_s);
    }
    const auto issued = m_challenges.create(m, shown, m_settings.publicUrl);
    record({.actor = u"anonymous"_s,
            .action = u"wallet.challenge"_s,
            .subject = shown,
            .ip = ip,
            .result = u"ok"_s,
            .detail = m});
    return issued;
}

std::optional<QString> WalletAuth::sessionUser(const QByteArray &sessionToken)
{
    if (sessionToken.isEmpty() || sessionToken.size() > 256)
        return std::nullopt;
    const auto token = m_tokens.findLive(TokenKind::wallet, sessionToken);
    if (!token)
        return std::nullopt;
    const auto user = m_users.current(token->userId);
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
    } catch (const Refusal &refusal) {
        record({.actor = u"anonymous"_s,
                .action = u"wallet.login"_s,
                .subject = type,
                .ip = ip,
                .result = resultOf(refusal),
                .detail = refusal.message});
        throw;
    }
    const QString userId = m_directory.findOrCreate(identity);
    const auto user = m_users.byId(userId);
    if (!user || user->disabled) {
        record({.actor = userId,
                .action = u"wallet.login"_s,
                .subject = identity.kind,
                .ip = ip,
                .result = u"denied"_s,
                .detail = u"account disabled"_s});
        refuse(Refusal::Kind::BadCredentials, u"Account disabled"_s);
    }
    Session session;
    session.token = Random::urlToken(32).toLatin1();
    const QString data_ =
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"method"_s, identity.kind}, {u"ip"_s, ip}})
                              .toJson(QJsonDocument::Compact));
    m_tokens.issue(TokenKind::wallet, userId, session.token, sessionLifetimeMs(), label, data_);
    session.profile = m_directory.profile(userId).value_or(WalletProfile{userId, {}, {}, {}});
    record({.actor = userId,
            .action = u"wallet.login"_s,
            .subject = identity.kind + u':' + identity.display,
            .ip = ip,
            .result = u"ok"_s,
            .detail = type});
    return session;
}

WalletProfile WalletAuth::bind(const QByteArray &sessionToken, const QString &type,
                               const QJsonObject &data, const QString &ip)
{
    const auto userId = sessionUser(sessionToken);
    if (!userId)
        refuse(Refusal::Kind::BadCredentials, u"Not authenticated"_s);
    IdentityKey identity;
    try {
        identity = m_signIn.prove(type, data);
    } catch (const Refusal &refusal) {
        record({.actor = *userId,
                .action = u"wallet.bind"_s,
                .subject = type,
                .ip = ip,
                .result = resultOf(refusal),
                .detail = refusal.message});
        throw;
    }
    if (m_directory.bind(*userId, identity) == WalletDirectory::Bind::OwnedByOther) {
        record({.actor = *userId,
                .action = u"wallet.bind"_s,
                .subject = identity.kind + u':' + identity.display,
                .ip = ip,
                .result = u"denied"_s,
                .detail = u"linked to another account"_s});
        refuse(Refusal::Kind::Conflict, u"This login method is linked to another account"_s);
    }
    record({.actor = *userId,
            .action = u"wallet.bind"_s,
            .subject = identity.kind + u':' + identity.display,
            .ip = ip,
            .result = u"ok"_s,
            .detail = type});
    return m_directory.profile(*userId).value_or(WalletProfile{*userId, {}, {}, {}});
}

Result<WalletProfile> WalletAuth::current(const QByteArray &sessionToken)
{
    const auto userId = sessionUser(sessionToken);
    const auto profile = userId ? m_directory.profile(*userId) : std::nullopt;
    if (!profile)
        return Refusal(Refusal::Kind::BadCredentials, u"Not authenticated"_s);
    return *profile;
}

bool WalletAuth::logout(const QByteArray &sessionToken, const QString &ip)
{
    if (sessionToken.isEmpty() || sessionToken.size() > 256)
        return false;
    const auto token = m_tokens.findLive(TokenKind::wallet, sessionToken);
    if (!token)
        return false;
    m_tokens.revoke(token->id);
    record({.actor = token->userId,
            .action = u"wallet.logout"_s,
            .subject = token->id,
            .ip = ip,
            .result = u"ok"_s});
    return true;
}

qint64 WalletAuth::sessionLifetimeMs() const
{
    return m_settings.walletSessionDays * 24LL * 3600 * 1000;
}
