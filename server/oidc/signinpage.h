// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

// resources/pages/oidc-signin.html, filled in for one authorization request: which of its
// sections shows (the methods, the emailed code's form, the second step, or "this
// sign-in has expired"), the message in its alert, and the values its forms carry back.
namespace SigninPage {

enum class Stage { Start, EmailCode, SecondStep, Gone };

struct View
{
    Stage stage = Stage::Start;
    QString requestId = {};
    QString clientName = {};
    // Where the flow ends: Chromium holds a form's redirects to the page's form-action
    // too, so the sign-in POST's way on (continue, then the application) must be allowed.
    QString redirectUri = {};
    QByteArray csrf = {};
    QString error = {};  // shown in the role="alert" paragraph, which takes the focus
    QString notice = {}; // a neutral status line ("we sent a code")
    QString email = {};  // what the person typed, kept across a refused try
    bool offerEmailCode = false;
    // the second step
    QString challenge = {};
    QString first = {};       // "pwd" or "otp": the first factor, for the second step's purpose
    QStringList methods = {}; // "totp", "recovery_code", "passkey"
};

Response render(const View &view, int status = 200);

// The CSRF token of a request's forms: HMAC-SHA256 under a key derived from the signing
// key (every instance has it), over the request id; base64url.
QByteArray csrfToken(QByteArrayView signingKey, const QString &requestId);
bool csrfMatches(QByteArrayView signingKey, const QString &requestId, QByteArrayView presented);

} // namespace SigninPage
