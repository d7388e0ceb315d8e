// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <utility>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Logging {
namespace {

std::atomic<Format> g_format{Format::Text};

struct Context
{
    QByteArray requestId;
    QString client;
};
thread_local Context t_context;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

// One write() per line: lines from several threads never interleave (a pipe writes up to
// PIPE_BUF bytes atomically; journald and a terminal take whole lines).
void writeLine(QByteArray line)
{
    line += '\n';
#ifdef Q_OS_UNIX
    const char *data = line.constData();
    qsizetype left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, data, size_t(left));
        if (n <= 0)
            break;
        data += n;
        left -= n;
    }
#else
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
#endif
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const Format format = g_format.load(std::memory_order_relaxed);
    writeLine(
        formatLine(format, type, context.category ? context.category : "default",
                   format == Format::Text ? qFormatLogMessage(type, context, message) : message));
}

// RFC 3339 in UTC with milliseconds, without Qt: messages logged while the process exits
// (plugins unloading) come after QDateTime's time zone data is gone.
QByteArray utcNow()
{
    const auto now = std::chrono::system_clock::now();
    const qint64 ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = std::time_t(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[64]; // room for any int the compiler can imagine in each field
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
    return QByteArray(text);
}

// Qt's own request log prints every request whole at debug level (Authorization, cookies,
// tokens in query strings): it stays off whatever QT_LOGGING_RULES says.
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

void filterCategories(QLoggingCategory *category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    if (qstrcmp(category->categoryName(), "qt.httpserver") == 0)
        category->setEnabled(QtDebugMsg, false);
}

// A JSON string literal, quotes included.
QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

bool saneRequestId(const QByteArray &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (const char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

} // namespace

bool parseFormat(const QString &text, Format *format)
{
    const QString t = text.trimmed().toLower();
    if (t == u"text")
        *format = Format::Text;
    else if (t == u"json")
        *format = Format::Json;
    else
        return false;
    return true;
}

void install(Format format)
{
    g_format.store(format);
    qInstallMessageHandler(handler);
    static bool filtering = false;
    if (!filtering) {
        filtering = true;
        g_previousFilter = QLoggingCategory::installFilter(filterCategories);
    }
}

Format installedFormat()
{
    return g_format.load();
}

QByteArray formatLine(Format format, QtMsgType type, const char *category, const QString &message)
{
    const Context &c = t_context;
    if (format == Format::Text) {
        QByteArray line = message.toUtf8();
        if (!c.requestId.isEmpty())
            line += " [request_id=" + c.requestId + " client=" + c.client.toUtf8() + ']';
        return line;
    }
    // Built by hand so the keys keep this order (QJsonObject sorts them).
    QByteArray line = "{\"time\":\"" + utcNow() + '"' + ",\"level\":\"" + levelName(type) +
                      "\",\"category\":" + jsonString(QString::fromUtf8(category)) +
                      ",\"message\":" + jsonString(message);
    if (!c.requestId.isEmpty())
        line += ",\"request_id\":" + jsonString(QString::fromLatin1(c.requestId)) +
                ",\"client\":" + jsonString(c.client);
    return line + '}';
}

QByteArray newRequestId()
{
    // splitmix64 over a per-thread state seeded once from the system generator.
    thread_local quint64 state = QRandomGenerator::system()->generate64();
    quint64 z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    QByteArray id(16, Qt::Uninitialized); // 16 hex digits, written without a temporary
    for (int i = 15; i >= 0; --i, z >>= 4)
        id[i] = "0123456789abcdef"[z & 15];
    return id;
}

QByteArray requestIdFrom(const QByteArray &clientValue)
{
    const QByteArray trimmed = clientValue.trimmed();
    return saneRequestId(trimmed) ? trimmed : newRequestId();
}

RequestLogScope::RequestLogScope(const QByteArray &requestId, const QString &client)
    : m_previousId(std::exchange(t_context.requestId, requestId)),
      m_previousClient(std::exchange(t_context.client, client))
{}

RequestLogScope::~RequestLogScope()
{
    t_context.requestId = std::move(m_previousId);
    t_context.client = std::move(m_previousClient);
}

} // namespace Logging
