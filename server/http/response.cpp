// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/response.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <cstdio>

Q_LOGGING_CATEGORY(lcHttp, "gatehouse.http")

Response Response::json(const QJsonObject &object, int status)
{
    return jsonBody(QJsonDocument(object).toJson(QJsonDocument::Compact), status);
}

Response Response::json(const QJsonArray &array, int status)
{
    return jsonBody(QJsonDocument(array).toJson(QJsonDocument::Compact), status);
}

Response Response::jsonBody(const QByteArray &text, int status)
{
    return {status, "application/json"_ba, text, {}};
}

Response Response::jsonValue(const QJsonValue &value, int status)
{
    // QJsonDocument only holds objects and arrays; wrap and strip the brackets.
    QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return jsonBody(text.mid(1, text.size() - 2), status);
}

Response Response::html(const QByteArray &page, int status)
{
    Response r{status, "text/html; charset=utf-8", page, {}};
    r.header("Content-Security-Policy",
             "default-src 'none'; script-src 'self'; style-src 'self'; "
             "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    r.header("X-Frame-Options", "DENY");
    return r;
}

Response Response::text(const QByteArray &text, int status)
{
    return {status, "text/plain; charset=utf-8", text, {}};
}

Response Response::redirect(const QByteArray &location, int status)
{
    Response r{status, QByteArray(), QByteArray(), {}};
    r.header("Location", location);
    return r;
}

Response Response::empty(int status)
{
    return {status, QByteArray(), QByteArray(), {}};
}

Response &Response::header(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

namespace {

// An HTTP date (RFC 9110 IMF-fixdate), built once per second: formatting a date is most of
// the cost of a Date or Set-Cookie header. Each use keeps its own (per thread).
struct HttpDate
{
    qint64 secs = -1;
    QByteArray text;

    const QByteArray &at(qint64 secsSinceEpoch)
    {
        if (secsSinceEpoch != secs) {
            secs = secsSinceEpoch;
            text = QLocale::c()
                       .toString(QDateTime::fromSecsSinceEpoch(secs, Qt::UTC),
                                 u"ddd, dd MMM yyyy hh:mm:ss 'GMT'")
                       .toLatin1();
        }
        return text;
    }
};

} // namespace

QByteArray setCookie(const QByteArray &name, const QByteArray &value, const CookieOptions &o)
{
    QByteArray out;
    out.reserve(name.size() + value.size() + o.path.size() + o.sameSite.size() + 100);
    out += name;
    out += '=';
    out += value;
    out += "; Path=";
    out += o.path;
    out += "; HttpOnly; SameSite=";
    out += o.sameSite;
    if (o.maxAgeSecs >= 0) {
        char number[24];
        out += "; Max-Age=";
        out.append(number, snprintf(number, sizeof number, "%lld", qlonglong(o.maxAgeSecs)));
        thread_local HttpDate expires;
        out += "; Expires=";
        out += o.maxAgeSecs == 0
                   ? QByteArrayView("Thu, 01 Jan 1970 00:00:00 GMT")
                   : QByteArrayView(expires.at(QDateTime::currentSecsSinceEpoch() + o.maxAgeSecs));
    }
    if (o.secure)
        out += "; Secure";
    return out;
}

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

namespace {

bool safeHeader(QByteArrayView name, QByteArrayView value)
{
    for (char c : name)
        if (c == '\r' || c == '\n' || c == ':' || c == ' ' || c == '\0')
            return false;
    for (char c : value)
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    return !name.isEmpty();
}

// The Date header: now, built once per second per thread.
const QByteArray &httpDate()
{
    thread_local HttpDate now;
    return now.at(QDateTime::currentSecsSinceEpoch());
}

void appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    if (!safeHeader(name, value)) {
        qCWarning(lcHttp) << "dropped an unsafe response header"
                          << name.first(qMin(name.size(), 64));
        return;
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

} // namespace

QByteArray serializeResponse(const Response &r, bool headOnly, bool closeAfter,
                             const QList<std::pair<QByteArray, QByteArray>> &extraHeaders)
{
    // Sized once and appended piece by piece: no temporaries on the way (this runs for
    // every answer).
    qsizetype size = 256 + r.contentType.size() + r.body.size();
    for (const auto &[name, value] : r.headers)
        size += name.size() + value.size() + 4;
    for (const auto &[name, value] : extraHeaders)
        size += name.size() + value.size() + 4;
    QByteArray out;
    out.reserve(size);
    char number[24];
    out += "HTTP/1.1 ";
    out.append(number, snprintf(number, sizeof number, "%d", r.status));
    out += ' ';
    out += reasonPhrase(r.status);
    out += "\r\nServer: Gatehouse\r\nDate: ";
    out += httpDate();
    out += "\r\n";
    if (!r.contentType.isEmpty())
        appendHeader(out, "Content-Type", r.contentType);
    const bool noBody = r.status == 204 || r.status == 304 || r.status < 200;
    if (!noBody) {
        out += "Content-Length: ";
        out.append(number, snprintf(number, sizeof number, "%lld", qlonglong(r.body.size())));
        out += "\r\n";
    }
    out += "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n";
    bool cacheSet = false;
    for (const auto &[name, value] : r.headers) {
        cacheSet = cacheSet || name.compare("Cache-Control", Qt::CaseInsensitive) == 0;
        appendHeader(out, name, value);
    }
    if (!cacheSet)
        out += "Cache-Control: no-store\r\n";
    for (const auto &[name, value] : extraHeaders)
        appendHeader(out, name, value);
    if (closeAfter)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (!headOnly && !noBody)
        out += r.body;
    return out;
}
