// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// The pages a person opens from a device-surface email: approve a sign-in, confirm an
// email address (resources/pages/*.html, through PageTemplate). Every value shown is
// HTML-escaped; forms post back to the same path with the code from the link in the form
// body (never approve on GET).
namespace DevicePages {

struct LoginRequest
{
    QString username;
    QString platform;
    QString ip;
    qint64 createdAtMs = 0;
    qint64 expiresAtMs = 0;
};

QByteArray approveForm(const LoginRequest &request, const QString &code);
QByteArray confirmEmailForm(const QString &username, const QString &email, const QString &code);
// A page with a heading and one paragraph (plain text, escaped here).
QByteArray notice(const QString &title, const QString &text);

} // namespace DevicePages
