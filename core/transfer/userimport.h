// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "transfer/exportdata.h"
#include "transfer/importer.h"

#include <QHash>

class Database;

namespace Transfer {

// Thrown inside the import transaction: rolls it back, becomes the import's error.
struct ImportConflict
{
    QString message;
};

// The users of an import with their identities and wallets (importer.h says how they
// are matched). Runs inside the caller's write transaction.
class UserImport
{
public:
    UserImport(const Database &db, const Document &doc, qint64 nowMs);
    // Fills report.users, .identities, .wallets and .userIds.
    void run(ImportReport &report, const std::function<void(int, int)> &progress = {});

private:
    QString localIdOf(qsizetype index) const;
    void checkUnique(qsizetype index, const QString &localId) const;
    void importUser(qsizetype index, const QString &localId, Counts &counts);
    void importIdentities(qsizetype index, const QString &localId, Counts &counts);
    void importWallets(qsizetype index, const QString &localId, Counts &counts);

    const Database &m_db;
    const Document &m_doc;
    qint64 m_now;
    QHash<QString, QString> m_localIds; // id in the file -> id here
};

} // namespace Transfer
