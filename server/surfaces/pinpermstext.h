// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/pinroles.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

// Ambrosia's Permission list as JSON text: [{id, name, description, enabled}], by name.
QByteArray pinPermsText(const PinRole &role);

// pinPermsText() kept per role for GET /users/me, which answered every request by writing
// the same list again (most of that route's time). A text is reused only for the very
// read of the role it was made from (PinRole::readId): PinRoles::current() reads a role
// again after every change made here and at most 500 ms after another instance's, and
// each read has a new id, so this text is never older than the role the check itself
// used. Bounded: past `kMaxRoles` entries, all go.
class PinPermsTextCache
{
public:
    QByteArray text(const PinRole &role);

private:
    static constexpr qsizetype kMaxRoles = 256;
    struct Entry
    {
        quint64 readId = 0;
        QByteArray text;
    };
    QMutex m_mutex;
    QHash<QString, Entry> m_byRoleId;
};
