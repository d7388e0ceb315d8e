// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <optional>

class Clock;
class Database;

struct Namespace
{
    qint64 id = 0;
    QString name = {};
    bool disabled = false;
    qint64 createdAt = 0;
    QString createdBy = {};
    qint64 tokensValidAfter = 0; // ms; tokens issued before this are refused
};

// Isolation units of the namespace surface (seed 000). Lookups on the hot path go
// through a short-lived cache (2 s), so a change made by another instance or by the
// CLI takes effect within that time.
class Namespaces
{
public:
    Namespaces(const Database &db, const Clock &clock);

    static bool isValidName(QStringView name);

    // The namespace for a login: created on first use when `autoCreate`. Empty when
    // it does not exist (and may not be created).
    std::optional<Namespace> resolve(const QString &name, bool autoCreate, const QString &actor);
    std::optional<Namespace> find(const QString &name) const;
    Result<Namespace> add(const QString &name, const QString &actor);
    QList<Namespace> list() const;
    bool setDisabled(const QString &name, bool disabled);
    bool signOutEverywhere(const QString &name);
    bool remove(const QString &name);

private:
    std::optional<Namespace> load(const QString &name) const;
    void forget(const QString &name);

    const Database &m_db;
    const Clock &m_clock;
    struct Cached
    {
        Namespace value;
        qint64 until;
    };
    mutable QMutex m_mutex;
    mutable QHash<QString, Cached> m_cache;
};
