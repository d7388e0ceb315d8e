// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/pinroles.h"
#include "identity/users.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

// GET /users/me's body ({user, perms}) kept per user: every check of a PIN access token
// wrote the same 1.5 KB again. A body is reused only while everything it shows is what
// this check read: the user's name, email and admin flag compared as read now, and the
// very read of the role (PinRole::readId, new on every read of the role: its name, id
// and permissions). Bounded: past `kMaxUsers` entries, all go.
class PinMeBodyCache
{
public:
    template <typename Make> QByteArray body(const User &user, const PinRole &role, Make make)
    {
        if (role.readId == 0)
            return make();
        {
            QMutexLocker lock(&m_mutex);
            const auto it = m_byUserId.constFind(user.id);
            if (it != m_byUserId.cend() && it->matches(user, role))
                return it->body;
        }
        const QByteArray made = make(); // outside the lock: other users go on
        QMutexLocker lock(&m_mutex);
        if (m_byUserId.size() >= kMaxUsers && !m_byUserId.contains(user.id))
            m_byUserId.clear();
        Entry &entry = m_byUserId[user.id];
        if (entry.roleReadId <= role.readId) // a slower request must not put an older read back
            entry = {user.username, user.email, user.isAdmin, role.readId, made};
        return made;
    }

private:
    static constexpr qsizetype kMaxUsers = 4096;
    struct Entry
    {
        QString username;
        QString email;
        bool isAdmin = false;
        quint64 roleReadId = 0;
        QByteArray body;

        bool matches(const User &user, const PinRole &role) const
        {
            return roleReadId == role.readId && isAdmin == user.isAdmin &&
                   username == user.username && email == user.email;
        }
    };
    QMutex m_mutex;
    QHash<QString, Entry> m_byUserId;
};
