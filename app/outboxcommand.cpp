// SPDX-License-Identifier: GPL-3.0-or-later
#include "outboxcommand.h"

#include "args.h"
#include "runtime.h"
#include "services.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

const QString kCommand = u"outbox"_s;

const QStringList &states()
{
    static const QStringList all = {u"queued"_s, u"sending"_s, u"sent"_s, u"failed"_s, u"held"_s};
    return all;
}

const QList<VerbSpec> &verbs()
{
    static const QList<VerbSpec> list = {
        {u"list"_s,
         QString(),
         u"list queued, sent, failed and held emails and SMS, newest first"_s,
         {{u"--state"_s, u"STATE"_s, u"only this state: "_s + states().join(u", "_s)},
          {u"--limit"_s, u"N"_s, u"at most N (1 to 100000, default 200)"_s},
          {u"--json"_s, QString(), u"a JSON array instead of a table"_s}}},
        {u"show"_s,
         u"ID"_s,
         u"print one message, its body included (codes and links until delivered)"_s,
         {{u"--json"_s, QString(), u"a JSON object instead of text"_s}}},
        {u"resend"_s, u"ID"_s, u"queue a failed or held message again"_s, {}},
    };
    return list;
}

QString when(qint64 ms)
{
    return ms > 0 ? jsonTime(ms).toString() : u"-"_s;
}

QJsonObject messageJson(const OutboxMessage &m)
{
    return {{u"id"_s, m.id},
            {u"channel"_s, m.channel},
            {u"to"_s, m.recipient},
            {u"subject"_s, m.subject},
            {u"state"_s, m.state},
            {u"attempts"_s, m.attempts},
            {u"error"_s, m.lastError.isEmpty() ? QJsonValue() : QJsonValue(m.lastError)},
            {u"createdAt"_s, jsonTime(m.createdAt)},
            {u"sentAt"_s, jsonTime(m.sentAt)}};
}

int list(Services &services, const ParsedArgs &args)
{
    if (!args.positional.isEmpty())
        return usageError(u"outbox list takes no arguments"_s, kCommand);
    const QString state = args.value(u"--state"_s);
    if (args.has(u"--state"_s) && !states().contains(state))
        return usageError(
            u"--state must be one of %1, not '%2'"_s.arg(states().join(u", "_s), state), kCommand);
    const auto limit = intOption(args, u"--limit"_s, 200, 1, 100000, kCommand);
    if (!limit)
        return 2;
    const QList<OutboxMessage> messages = services.outbox.list(*limit, state);
    if (args.has(u"--json"_s)) {
        QJsonArray rows;
        for (const OutboxMessage &m : messages)
            rows.append(messageJson(m));
        printJson(rows);
        return 0;
    }
    const QString row = u"%1  %2  %3  %4  %5  %6"_s;
    printLine(row.arg(u"ID"_s, 6)
                  .arg(u"CHANNEL"_s, -7)
                  .arg(u"STATE"_s, -7)
                  .arg(u"CREATED"_s, -24)
                  .arg(u"TO"_s, -28)
                  .arg(u"SUBJECT / ERROR"_s));
    for (const OutboxMessage &m : messages)
        printLine(row.arg(m.id, 6)
                      .arg(m.channel, -7)
                      .arg(m.state, -7)
                      .arg(when(m.createdAt), -24)
                      .arg(m.recipient, -28)
                      .arg(m.lastError.isEmpty() ? m.subject : m.lastError));
    return 0;
}

void printMessage(const OutboxMessage &m)
{
    printLine(u"Channel:  %1\nTo:       %2\nState:    %3 (%4 attempts)%5\n"
              u"Created:  %6\nSent:     %7\nSubject:  %8\n"_s.arg(m.channel, m.recipient, m.state)
                  .arg(m.attempts)
                  .arg(m.lastError.isEmpty() ? QString() : u"\nError:    "_s + m.lastError)
                  .arg(when(m.createdAt), when(m.sentAt), m.subject));
    printLine(m.body);
}

int showOrResend(Services &services, const QString &verb, const ParsedArgs &args)
{
    bool ok = false;
    const qint64 id = args.positional.value(0).toLongLong(&ok);
    if (args.positional.size() != 1 || !ok)
        return usageError(u"outbox %1 takes one message ID (a number)"_s.arg(verb), kCommand);
    const auto message = services.outbox.byId(id);
    if (!message) {
        printError(u"no outbox message %1"_s.arg(id));
        return 1;
    }
    if (verb == u"show") {
        if (!args.has(u"--json"_s)) {
            printMessage(*message);
            return 0;
        }
        QJsonObject object = messageJson(*message);
        object.insert(u"body"_s, message->body);
        printJson(object);
        return 0;
    }
    if (!services.outbox.resend(id)) {
        printError(u"cannot resend: its channel is not configured, it is being sent, or its "
                   u"code or link was redacted after delivery"_s);
        return 1;
    }
    printLine(u"message %1 queued again"_s.arg(id));
    return 0;
}

} // namespace

QString outboxHelp()
{
    return commandHelp(kCommand, u"Read and resend the emails and SMS Gatehouse queued or held."_s,
                       verbs());
}

int runOutboxCommand(Services &services, const QStringList &arguments)
{
    const VerbCall call = parseVerb(verbs(), arguments, kCommand);
    if (!call.verb)
        return call.exitCode;
    const VerbSpec *verb = call.verb;
    const ParsedArgs &args = call.args;
    if (verb->name == u"list")
        return list(services, args);
    return showOrResend(services, verb->name, args);
}
