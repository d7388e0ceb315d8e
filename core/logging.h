// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// One message handler for every Qt logging category. Text keeps Qt's own line (and
// QT_MESSAGE_PATTERN); JSON writes one object per line for journald or Loki:
// {"time","level","category","message","request_id","client"}. A message logged while a
// request is being answered (RequestLogScope on that thread) carries the request's id
// and client address in either format.
namespace Logging {

enum class Format { Text, Json };

// "text" or "json" (case-insensitive); false for anything else.
bool parseFormat(const QString &text, Format *format);
void install(Format format);
Format installedFormat();

// The line for one message, without the newline (exposed for tests).
QByteArray formatLine(Format format, QtMsgType type, const char *category, const QString &message);

// A fresh request id: 16 hex digits from a per-thread generator (no lock, no syscall).
QByteArray newRequestId();
// The client's X-Request-Id if it is 1..64 characters of [A-Za-z0-9._-]; else a fresh one.
QByteArray requestIdFrom(const QByteArray &clientValue);

// While alive, messages logged on this thread belong to one request.
class RequestLogScope
{
public:
    RequestLogScope(const QByteArray &requestId, const QString &client);
    ~RequestLogScope();
    RequestLogScope(const RequestLogScope &) = delete;
    RequestLogScope &operator=(const RequestLogScope &) = delete;

private:
    QByteArray m_previousId;
    QString m_previousClient;
};

} // namespace Logging
