// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"
#include "result.h"

#include <QObject>

struct ConsoleContext;
class QWidget;

// What the Users page can do to a user, without any dialogs: the page asks first, then calls
// one of these. Each runs on the console's worker pool (the slow ones behind a progress
// dialog), writes an admin audit event, shows an error dialog on failure and emits done().
class UserActions : public QObject
{
    Q_OBJECT
public:
    UserActions(ConsoleContext &context, QWidget *parent);

    void create(const User &draft, const QString &password);
    void update(const User &before, const User &after);
    void setDisabled(const User &user, bool disabled);
    void remove(const User &user);
    void setPassword(const User &user, const QString &password);
    void setPin(const User &user, const QString &pin);
    void signOutEverywhere(const User &user);

Q_SIGNALS:
    void done(const QString &action, bool ok);

private:
    void finish(const QString &action, const Result<bool> &result, const QString &what);

    ConsoleContext &m_context;
    QWidget *m_parent;
};
