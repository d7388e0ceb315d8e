// SPDX-License-Identifier: GPL-3.0-or-later
// OidcSignin: the methods that work without script — password (and its second step) and
// the emailed code. Each answers with the page again on a refusal, keeping the email.
#include "anonymouslimits.h"
#include "delivery/outbox.h"
#include "oidc/signin.h"
#include "services.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

const QString kEmailChannel = u"oidc-email"_s;

// What a person reads for a refusal of the account core: its message as a sentence. A
// wrong password and an unknown account are one message (BadCredentials) by design.
QString sentence(const Refusal &refusal)
{
    if (refusal.kind == Refusal::Kind::BadCredentials)
        return u"Wrong email or password."_s;
    if (refusal.kind == Refusal::Kind::Internal ||
        refusal.kind == Refusal::Kind::ProviderUnreachable)
        return u"Something went wrong on our side. Please try again."_s;
    QString text = refusal.message;
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text.endsWith(u'.') ? text : text + u'.';
}

int statusOf(const Refusal &refusal)
{
    switch (refusal.kind) {
    case Refusal::Kind::BadCredentials:
        return 401;
    case Refusal::Kind::RateLimited:
    case Refusal::Kind::Locked:
        return 429;
    case Refusal::Kind::Internal:
    case Refusal::Kind::ProviderUnreachable:
        return 500;
    default:
        return 403;
    }
}

// Whether a challenge can take another try: otherwise the person starts over.
bool challengeLives(const Refusal &refusal)
{
    return refusal.kind == Refusal::Kind::WrongCode || refusal.kind == Refusal::Kind::InvalidInput;
}

QStringList secondMethods(Services &services, const QString &userId)
{
    const QStringList kinds = services.factors.kinds(userId);
    QStringList methods;
    if (kinds.contains(Factors::kTotp))
        methods << Factors::kTotp;
    if (kinds.contains(Factors::kPasskey))
        methods << Factors::kPasskey;
    if (services.factors.recoveryCodesLeft(userId) > 0)
        methods << u"recovery_code"_s;
    return methods;
}

template <typename F> Response answered(F &&body)
{
    try {
        return body();
    } catch (const Response &page) {
        return page;
    }
}

} // namespace

// POST /oauth2/signin/password: request, csrf, email, password.
Response OidcSignin::password(const Request &request)
{
    return answered([&] {
        const Form form = openForm(request);
        SigninPage::View v = view(form.request);
        v.email = form.field(u"email"_s, 254).trimmed();
        const QString password = form.field(u"password"_s, Accounts::kMaxPasswordLength);
        if (v.email.isEmpty() || password.isEmpty())
            return fail(request, v, u"Enter your email (or username) and your password."_s);
        try {
            const auto grant = m_services.accounts.login(v.email, password, request.ip);
            if (grant.secondStep)
                return secondStepPage(form.request, grant.secondStep->challenge, u"pwd"_s,
                                      grant.secondStep->methods, v.email);
            return signedIn(request, form.request, grant.user.id, u"pwd"_s, u"password"_s);
        } catch (const Refusal &refusal) {
            m_services.metrics.countLogin(Metrics::Oidc, false);
            auditRefusal(request, u"password"_s, v.email, refusal.message);
            return fail(request, v, sentence(refusal), statusOf(refusal));
        }
    });
}

// The second step after an emailed code (purpose kCodePurpose): as Accounts does after a
// password, counting a try first. The user's id.
QString OidcSignin::finishCodeSecondStep(const QString &challenge, bool totp, const QString &code,
                                         const QString &ip)
{
    const Result<QString> userId = m_services.secondStep.countTry(challenge, kCodePurpose);
    if (!userId)
        throw userId.refusal();
    const Result<Done> checked = totp ? m_services.factors.checkTotp(*userId, code, ip)
                                      : m_services.factors.useRecoveryCode(*userId, code, ip);
    if (!checked) {
        if (checked.refusal().kind == Refusal::Kind::NotFound)
            throw Refusal(Refusal::Kind::WrongCode, u"the code is wrong"_s);
        throw checked.refusal();
    }
    const Result<QString> finished = m_services.secondStep.finish(challenge, kCodePurpose);
    if (!finished)
        throw finished.refusal();
    const auto user = m_services.users.byId(*finished);
    if (!user || user->disabled)
        throw Refusal(Refusal::Kind::Inactive, u"this account is disabled"_s);
    return user->id;
}

// POST /oauth2/signin/second-factor: request, csrf, challenge, first (pwd|otp), code.
Response OidcSignin::secondFactor(const Request &request)
{
    return answered([&] {
        const Form form = openForm(request);
        const QString challenge = form.field(u"challenge"_s, 128);
        const QString first = form.field(u"first"_s, 8) == u"otp" ? u"otp"_s : u"pwd"_s;
        QString code = form.field(u"code"_s, 64).trimmed();
        static const QRegularExpression sixDigits(u"^[0-9]{6}$"_s);
        const bool totp = sixDigits.match(code.remove(u' ')).hasMatch();
        const QString purpose = first == u"otp" ? kCodePurpose : SecondStep::kLoginPurpose;
        const auto peeked = m_services.secondStep.peek(challenge, purpose);
        const QStringList methods = peeked ? secondMethods(m_services, *peeked) : QStringList();
        try {
            if (code.isEmpty())
                throw Refusal(Refusal::Kind::InvalidInput, u"enter the code"_s);
            QString userId;
            if (first == u"otp") {
                userId = finishCodeSecondStep(challenge, totp, code, request.ip);
            } else {
                using F = Accounts::SecondFactor;
                userId = m_services.accounts
                             .completeSecondStep(challenge, totp ? F::Totp : F::RecoveryCode, code,
                                                 request.ip)
                             .user.id;
            }
            return signedIn(request, form.request, userId, first + u" otp mfa"_s,
                            totp ? u"second factor (TOTP)"_s : u"second factor (recovery code)"_s);
        } catch (const Refusal &refusal) {
            m_services.metrics.countLogin(Metrics::Oidc, false);
            auditRefusal(request, u"second factor"_s, peeked ? *peeked : QString(),
                         refusal.message);
            if (challengeLives(refusal) && peeked) {
                SigninPage::View v = view(form.request);
                v.stage = SigninPage::Stage::SecondStep;
                v.challenge = challenge;
                v.first = first;
                v.methods = methods;
                return fail(request, v, sentence(refusal), statusOf(refusal));
            }
            return fail(request, view(form.request),
                        sentence(refusal) + u" Please sign in again."_s, statusOf(refusal));
        }
    });
}

// The user an emailed code signs in: the account with that address, else the wallet user
// who linked it. Empty when there is none (no account is made here).
QString OidcSignin::emailCodeUser(const QString &email) const
{
    if (const auto user = m_services.users.byEmail(email))
        return user->id;
    return m_services.walletAuth.directory().ownerOf(u"email"_s, email).value_or(QString());
}

// POST /oauth2/signin/email-code: request, csrf, email. The answer is the same whether
// or not the address has an account (a code is only sent when it has).
Response OidcSignin::sendEmailCode(const Request &request)
{
    return answered([&] {
        const Form form = openForm(request);
        SigninPage::View v = view(form.request);
        v.email = form.field(u"email"_s, 254).trimmed();
        const QString email = WalletSignIn::normalizedEmail(v.email);
        if (!v.offerEmailCode)
            return fail(request, v, u"Sign-in codes by email are not available here."_s, 404);
        if (email.isEmpty())
            return fail(request, v, u"Enter a valid email address."_s);
        try {
            AnonymousLimits::takeTarget(m_services, u"email"_s, email);
        } catch (const ApiError &) {
            return fail(request, v, u"Too many codes for this address. Try again later."_s, 429);
        }
        const QString userId = emailCodeUser(email);
        const auto user = userId.isEmpty() ? std::nullopt : m_services.users.byId(userId);
        if (user && !user->disabled) {
            if (const QString code = m_codes.issue(kEmailChannel, email); !code.isEmpty())
                m_services.outbox.enqueueEmail(
                    email, u"Your sign-in code"_s,
                    u"Your code to sign in with Gatehouse is %1.\n\nIt expires in 10 minutes. If "
                    u"you did not ask for it, ignore this message.\n"_s.arg(Outbox::secret(code)));
        }
        m_services.audit.record({.actor = u"anonymous"_s,
                                 .action = u"oidc.signin.code"_s,
                                 .subject = email,
                                 .surface = u"oidc"_s,
                                 .ip = request.ip,
                                 .result = u"ok"_s,
                                 .detail = user ? u"sent"_s : u"no account"_s});
        v.stage = SigninPage::Stage::EmailCode;
        v.email = email;
        v.notice = u"If %1 belongs to an account, a code is on its way. It is good for 10 "
                   u"minutes."_s.arg(email);
        return SigninPage::render(v);
    });
}

// POST /oauth2/signin/email-code/verify: request, csrf, email, code.
Response OidcSignin::verifyEmailCode(const Request &request)
{
    return answered([&] {
        const Form form = openForm(request);
        SigninPage::View v = view(form.request);
        const QString email = WalletSignIn::normalizedEmail(form.field(u"email"_s, 254));
        const QString code = form.field(u"code"_s, 16).trimmed();
        v.email = email;
        v.stage = SigninPage::Stage::EmailCode;
        if (email.isEmpty() || code.isEmpty())
            return fail(request, v, u"Enter the code from the email."_s);
        using C = WalletCodes::Check;
        const C check = m_codes.verify(kEmailChannel, email, code);
        const QString userId = check == C::Ok ? emailCodeUser(email) : QString();
        const auto user = userId.isEmpty() ? std::nullopt : m_services.users.byId(userId);
        if (check != C::Ok || !user || user->disabled) {
            m_services.metrics.countLogin(Metrics::Oidc, false);
            auditRefusal(request, u"email code"_s, email,
                         check == C::Ok ? u"account disabled"_s : u"wrong or expired code"_s);
            if (check == C::Wrong)
                return fail(request, v, u"The code is wrong."_s, 401);
            v.stage = SigninPage::Stage::Start;
            if (check == C::Ok)
                return fail(request, v, u"This account is disabled."_s, 403);
            return fail(request, v,
                        check == C::TooManyAttempts
                            ? u"Too many wrong codes. Ask for a new one."_s
                            : u"The code has expired or was already used. Ask for a new one."_s,
                        401);
        }
        const QStringList methods = secondMethods(m_services, user->id);
        if (!methods.isEmpty()) // the code is one factor: the account's second one follows
            return secondStepPage(form.request, m_services.secondStep.begin(user->id, kCodePurpose),
                                  u"otp"_s, methods, email);
        if (user->isAdmin && m_services.settings.requireAdminSecondFactor) {
            auditRefusal(request, u"email code"_s, email, u"admin without a second factor"_s);
            v.stage = SigninPage::Stage::Start;
            return fail(request, v,
                        u"Administrators must set up a second factor before signing in."_s, 403);
        }
        return signedIn(request, form.request, user->id, u"otp"_s, u"email code"_s);
    });
}
