// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/formdata.h"

#include "http/apierror.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxParts = 64;
constexpr int kMaxPartHeaderBytes = 8192;

// `name="value"` or `name=value` from a header's parameters; empty when absent.
QByteArray parameter(const QByteArray &header, const QByteArray &name)
{
    for (QByteArray part : header.split(';')) {
        part = part.trimmed();
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0 || part.left(eq).trimmed().toLower() != name)
            continue;
        QByteArray value = part.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2).replace("\\\"", "\"").replace("\\\\", "\\");
        return value;
    }
    return {};
}

// Whether the header has the parameter at all (`filename=""` counts: browsers send it
// for an empty file input).
bool hasParameter(const QByteArray &header, const QByteArray &name)
{
    for (const QByteArray &part : header.split(';')) {
        const qsizetype eq = part.indexOf('=');
        const QByteArray key = part.left(eq).trimmed().toLower();
        if (eq > 0 && (key == name || key == name + '*'))
            return true;
    }
    return false;
}

QHash<QString, QByteArray> parseUrlEncoded(const QByteArray &body)
{
    QHash<QString, QByteArray> fields;
    QByteArray text = body;
    text.replace('+', ' ');
    const QUrlQuery query(QString::fromUtf8(text));
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded))
        if (!fields.contains(name))
            fields.insert(name, value.toUtf8());
    return fields;
}

QHash<QString, QByteArray> parseMultipart(const QByteArray &body, const QByteArray &boundary,
                                          const QString &invalid)
{
    const auto fail = [&](const QString &why) {
        return ApiError(400, invalid, u"malformed multipart/form-data body: "_s + why);
    };
    const QByteArray delimiter = "--" + boundary;
    QHash<QString, QByteArray> fields;
    qsizetype pos = body.startsWith(delimiter) ? 0 : body.indexOf("\r\n" + delimiter);
    if (pos < 0)
        throw fail(u"no boundary line"_s);
    pos += body.startsWith(delimiter) && pos == 0 ? delimiter.size() : delimiter.size() + 2;
    for (int parts = 0;; ++parts) {
        if (body.mid(pos, 2) == "--")
            return fields; // the closing delimiter
        if (body.mid(pos, 2) != "\r\n")
            throw fail(u"a boundary line does not end with CRLF"_s);
        if (parts >= kMaxParts)
            throw fail(u"too many parts"_s);
        pos += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", pos);
        if (headersEnd < 0 || headersEnd - pos > kMaxPartHeaderBytes)
            throw fail(u"a part has no end of headers"_s);
        QByteArray disposition;
        for (const QByteArray &line : body.mid(pos, headersEnd - pos).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == "content-disposition")
                disposition = line.mid(colon + 1).trimmed();
        }
        const qsizetype contentStart = headersEnd + 4;
        const qsizetype next = body.indexOf("\r\n" + delimiter, contentStart);
        if (next < 0)
            throw fail(u"a part is not closed by the boundary"_s);
        if (!disposition.toLower().startsWith("form-data"))
            throw fail(u"a part has no Content-Disposition: form-data header"_s);
        const QByteArray name = parameter(disposition, "name");
        if (name.isEmpty())
            throw fail(u"a part has no name"_s);
        if (hasParameter(disposition, "filename"))
            throw fail(u"field '%1' is a file upload"_s.arg(QString::fromUtf8(name)));
        const QString key = QString::fromUtf8(name);
        if (!fields.contains(key))
            fields.insert(key, body.mid(contentStart, next - contentStart));
        pos = next + 2 + delimiter.size();
    }
}

} // namespace

namespace FormData {

QHash<QString, QByteArray> parse(const Request &request, const QString &invalid)
{
    const QByteArray contentType = request.header("content-type");
    const QByteArray mime = contentType.split(';').first().trimmed().toLower();
    if (mime == "application/x-www-form-urlencoded")
        return parseUrlEncoded(request.body);
    if (mime != "multipart/form-data")
        throw ApiError(400, invalid,
                       u"the body must be multipart/form-data (or "
                       u"application/x-www-form-urlencoded)"_s);
    const QByteArray boundary = parameter(contentType, "boundary");
    if (boundary.isEmpty() || boundary.size() > 70)
        throw ApiError(400, invalid,
                       u"multipart/form-data needs a boundary of 1 to 70 characters"_s);
    return parseMultipart(request.body, boundary, invalid);
}

QString field(const QHash<QString, QByteArray> &fields, const QString &name, const QString &invalid,
              int maxLength)
{
    const auto it = fields.constFind(name);
    if (it == fields.constEnd())
        throw ApiError(400, invalid, u"field '%1' is required"_s.arg(name));
    const QString value = QString::fromUtf8(*it);
    if (value.size() > maxLength)
        throw ApiError(400, invalid, u"field '%1' is too long"_s.arg(name));
    return value;
}

} // namespace FormData
