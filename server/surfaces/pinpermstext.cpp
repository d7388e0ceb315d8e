// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/pinpermstext.h"

#include "http/orderedjson.h"

using namespace Qt::StringLiterals;

QByteArray pinPermsText(const PinRole &role)
{
    QByteArray out = "[";
    for (const PinPermission &p : role.permissions) {
        if (out.size() > 1)
            out += ',';
        out += orderedJsonText({{u"id"_s, jsonText(p.id)},
                                {u"name"_s, jsonText(p.name)},
                                {u"description"_s, jsonText(p.description)},
                                {u"enabled"_s, jsonText(p.enabled)}});
    }
    return out + ']';
}

QByteArray PinPermsTextCache::text(const PinRole &role)
{
    if (role.readId == 0)
        return pinPermsText(role);
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_byRoleId.constFind(role.id);
        if (it != m_byRoleId.cend() && it->readId == role.readId)
            return it->text;
    }
    const QByteArray text = pinPermsText(role); // outside the lock: other roles go on
    QMutexLocker lock(&m_mutex);
    if (m_byRoleId.size() >= kMaxRoles && !m_byRoleId.contains(role.id))
        m_byRoleId.clear();
    Entry &entry = m_byRoleId[role.id];
    if (entry.readId < role.readId) // a slower request must not put an older read back
        entry = {role.readId, text};
    return text;
}
