// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// Blocking HTTP(S) requests to identity providers (token endpoints, userinfo, JWKS,
// discovery) through libcurl, with short timeouts and a response size cap. Callers
// run on the worker pool (Runs::OnPool), never on a listener thread.
namespace OutboundHttp {
struct Reply
{
    int status = 0; // 0: no HTTP response (see error)
    QString error;  // transport failure: DNS, connect, TLS, timeout, too large
    QByteArray body;
    QByteArray contentType;
    bool transportFailed() const { return status == 0; }
};

struct Options
{
    int connectTimeoutMs = 5000;
    int timeoutMs = 10000;
    qint64 maxBytes = 1 << 20;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

[[nodiscard]] Reply get(const QString &url, const Options &options = {});
using Form = QList<std::pair<QString, QString>>;
// application/x-www-form-urlencoded body; every byte outside RFC 3986's unreserved
// set is percent-encoded ('+' included).
[[nodiscard]] Reply postForm(const QString &url, const Form &form, const Options &options = {});
[[nodiscard]] QByteArray encodeForm(const Form &form);
} // namespace OutboundHttp
