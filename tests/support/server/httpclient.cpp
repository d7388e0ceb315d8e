// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpclient.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSslConfiguration>
#include <QSslSocket>

using namespace Qt::StringLiterals;

QByteArray HttpReply::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

QList<QByteArray> HttpReply::headerValues(QByteArrayView lowerName) const
{
    QList<QByteArray> out;
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            out << value;
    return out;
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpReply::cookie(QByteArrayView name) const
{
    for (const QByteArray &line : headerValues("set-cookie")) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0 && line.left(eq) == name) {
            const qsizetype semicolon = line.indexOf(';');
            return line.mid(eq + 1, semicolon < 0 ? -1 : semicolon - eq - 1);
        }
    }
    return {};
}

QByteArray HttpClient::raw(const QByteArray &bytes, int timeoutMs, bool untilClosed)
{
    QSslSocket socket;
    if (m_ca.isNull()) {
        socket.connectToHost(u"127.0.0.1"_s, m_port);
        if (!socket.waitForConnected(timeoutMs))
            return {};
    } else {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_ca});
        socket.setSslConfiguration(tls);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, m_port, m_host);
        if (!socket.waitForEncrypted(timeoutMs))
            return {};
    }
    socket.write(bytes);
    socket.waitForBytesWritten(timeoutMs);
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        if (socket.waitForReadyRead(qMax<qint64>(1, timeoutMs - timer.elapsed())))
            out += socket.readAll();
        else if (socket.state() != QAbstractSocket::ConnectedState)
            break;
        // A complete response with Content-Length lets us stop early.
        if (untilClosed)
            continue;
        const HttpReply reply = parse(out);
        const qsizetype end = out.indexOf("\r\n\r\n");
        if (reply.status != 0 && end >= 0) {
            const QByteArray length = reply.header("content-length");
            if (!length.isEmpty() && out.size() - (end + 4) >= length.toLongLong())
                break;
            if (length.isEmpty() && (reply.status == 204 || reply.status == 304))
                break;
        }
    }
    out += socket.readAll();
    return out;
}

HttpReply HttpClient::parse(const QByteArray &wire)
{
    HttpReply reply;
    qsizetype offset = 0;
    // Skip interim 100 Continue responses.
    while (wire.mid(offset).startsWith("HTTP/1.1 100")) {
        const qsizetype end = wire.indexOf("\r\n\r\n", offset);
        if (end < 0)
            return reply;
        offset = end + 4;
    }
    const qsizetype end = wire.indexOf("\r\n\r\n", offset);
    if (end < 0)
        return reply;
    const QList<QByteArray> lines = wire.mid(offset, end - offset).split('\n');
    const QList<QByteArray> status = lines.value(0).trimmed().split(' ');
    reply.status = status.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            reply.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }
    reply.body = wire.mid(end + 4);
    const QByteArray length = reply.header("content-length");
    if (!length.isEmpty())
        reply.body = reply.body.left(length.toLongLong());
    return reply;
}

HttpReply HttpClient::request(const QByteArray &method, const QByteArray &target,
                              const QByteArray &body,
                              const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray wire =
        method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    bool typed = false;
    for (const auto &[name, value] : headers) {
        typed = typed || name.compare("content-type", Qt::CaseInsensitive) == 0;
        wire += name + ": " + value + "\r\n";
    }
    if (!body.isEmpty() && !typed)
        wire += "Content-Type: application/json\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        wire += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    wire += "\r\n" + body;
    return parse(raw(wire, 10000));
}

HttpReply HttpClient::get(const QByteArray &target,
                          const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return request("GET", target, QByteArray(), headers);
}

HttpReply HttpClient::postJson(const QByteArray &target, const QJsonObject &body,
                               const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return request("POST", target, QJsonDocument(body).toJson(QJsonDocument::Compact), headers);
}
