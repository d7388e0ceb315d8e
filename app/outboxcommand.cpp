// SPDX-License-Identifier: GPL-3.0-or-later
#include "outboxcommand.h"

#include "runtime.h"
#include "services.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

int usage()
{
    printError(u"usage: gatehouse outbox list [--state queued|sent|failed|held] | show ID | "
               u"resend ID"_s);
    return 2;
}

QString when(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(Qt::ISODate) : u"-"_s;
}

} // namespace

int runOutboxCommand(Services &services, const QStringList &args)
{
    const QString verb = args.value(0);
    if (verb == u"list") {
        QString state;
        if (args.size() == 3 && args[1] == u"--state")
            state = args[2];
        else if (args.size() == 2 && args[1].startsWith(u"--state="))
            state = args[1].section(u'=', 1);
        else if (args.size() != 1)
            return usage();
        printLine(u"%1  %2  %3  %4  %5  %6"_s.arg(u"ID"_s, 6)
                      .arg(u"CHANNEL"_s, -7)
                      .arg(u"STATE"_s, -7)
                      .arg(u"CREATED"_s, -19)
                      .arg(u"TO"_s, -28)
                      .arg(u"SUBJECT / ERROR"_s));
        for (const OutboxMessage &m : services.outbox.list(200, state))
            printLine(u"%1  %2  %3  %4  %5  %6"_s.arg(m.id, 6)
                          .arg(m.channel, -7)
                          .arg(m.state, -7)
                          .arg(when(m.createdAt), -19)
                          .arg(m.recipient, -28)
                          .arg(m.lastError.isEmpty() ? m.subject : m.lastError));
        return 0;
    }
    bool ok = false;
    const qint64 id = args.value(1).toLongLong(&ok);
    if ((verb != u"show" && verb != u"resend") || args.size() != 2 || !ok)
        return usage();
    const auto message = services.outbox.byId(id);
    if (!message) {
        printError(u"no outbox message %1"_s.arg(id));
        return 1;
    }
    if (verb == u"resend") {
        if (!services.outbox.resend(id)) {
            printError(u"cannot resend: its channel is not configured, it is being sent, or its "
                       u"code or link was redacted after delivery"_s);
            return 1;
        }
        printLine(u"message %1 queued again"_s.arg(id));
        return 0;
    }
    printLine(
        u"Channel:  %1\nTo:       %2\nState:    %3 (%4 attempts)%5\n"
        u"Created:  %6\nSent:     %7\nSubject:  %8\n"_s
            .arg(message->channel, message->recipient, message->state)
            .arg(message->attempts)
            .arg(message->lastError.isEmpty() ? QString() : u"\nError:    "_s + message->lastError)
            .arg(when(message->createdAt), when(message->sentAt), message->subject));
    printLine(message->body);
    return 0;
}
