// SPDX-License-Identifier: GPL-3.0-or-later
#include "outboxcommand.h"

#include "runtime.h"
#include "services.h"

#include <QDateTime>

namespace {

int usage()
{
    printError(u"usage: gatehouse outbox list [--state queued|sent|failed|held] | show ID | "
               "resend ID"_qs);
    return 2;
}

QString when(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(Qt::ISODate) : u"-"_qs;
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
        printLine(QStringLiteral("%1  %2  %3  %4  %5  %6")
                      .arg(u"ID"_qs, 6)
                      .arg(u"CHANNEL"_qs, -7)
                      .arg(u"STATE"_qs, -7)
                      .arg(u"CREATED"_qs, -19)
                      .arg(u"TO"_qs, -28)
                      .arg(u"SUBJECT / ERROR"_qs));
        for (const OutboxMessage &m : services.outbox.list(200, state))
            printLine(QStringLiteral("%1  %2  %3  %4  %5  %6")
                          .arg(m.id, 6)
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
        printError(QStringLiteral("no outbox message %1").arg(id));
        return 1;
    }
    if (verb == u"resend") {
        if (!services.outbox.resend(id)) {
            printError(u"cannot resend: its channel is not configured, it is being sent, or its "
                       "code or link was redacted after delivery"_qs);
            return 1;
        }
        printLine(QStringLiteral("message %1 queued again").arg(id));
        return 0;
    }
    printLine(
        QStringLiteral("Channel:  %1\nTo:       %2\nState:    %3 (%4 attempts)%5\n"
                       "Created:  %6\nSent:     %7\nSubject:  %8\n")
            .arg(message->channel, message->recipient, message->state)
            .arg(message->attempts)
            .arg(message->lastError.isEmpty() ? QString() : u"\nError:    "_qs + message->lastError)
            .arg(when(message->createdAt), when(message->sentAt), message->subject));
    printLine(message->body);
    return 0;
}
