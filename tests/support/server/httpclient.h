// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSslCertificate>
#include <QString>

using namespace Qt::StringLiterals;

// A small blocking HTTP/1.1 client over a raw socket: every response header is kept
// (several Set-Cookie lines stay separate), and tests can send any bytes at all.
struct HttpReply
{
    int status = 0; // 0: no response (connection closed or timed out)
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case
    QByteArray body;

    QByteArray header(QByteArrayView lowerName) const;
    QList<QByteArray> headerValues(QByteArrayView lowerName) const;
    QJsonObject json() const;
    // The value a Set-Cookie line gives `name`, empty if none.
    QByteArray cookie(QByteArrayView name) const;
};

class HttpClient
{
public:
    explicit HttpClient(quint16 port) : m_port(port) {}
    // HTTPS: the server's certificate must verify against `ca` for the name `host`.
    HttpClient(quint16 port, const QSslCertificate &ca, const QString &host = u"localhost"_s)
        : m_port(port), m_ca(ca), m_host(host)
    {}

    HttpReply request(const QByteArray &method, const QByteArray &target,
                      const QByteArray &body = QByteArray(),
                      const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    HttpReply get(const QByteArray &target,
                  const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    HttpReply postJson(const QByteArray &target, const QJsonObject &body,
                       const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    // Sends raw bytes and returns everything read until the server closes or
    // `timeoutMs` passes (or, unless `untilClosed`, a first complete response arrives).
    QByteArray raw(const QByteArray &bytes, int timeoutMs = 3000, bool untilClosed = false);
    static HttpReply parse(const QByteArray &wire);

private:
    quint16 m_port;
    QSslCertificate m_ca; // null: plain HTTP
    QString m_host;
};
