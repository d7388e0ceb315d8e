// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/tokencells.h"

#include "format.h"

#include <QBrush>
#include <QPalette>

QStringList TokenCells::headers()
{
    return {QObject::tr("Kind"),    QObject::tr("User"),      QObject::tr("Label"),
            QObject::tr("Created"), QObject::tr("Last used"), QObject::tr("Expires"),
            QObject::tr("State"),   QObject::tr("Id")};
}

QStringList TokenCells::kinds()
{
    return {TokenKind::refresh, TokenKind::device, TokenKind::apiToken, TokenKind::wallet};
}

QString TokenCells::kindName(const QString &kind)
{
    if (kind == TokenKind::refresh)
        return QObject::tr("PIN refresh token");
    if (kind == TokenKind::device)
        return QObject::tr("Device session");
    if (kind == TokenKind::apiToken)
        return QObject::tr("API token");
    if (kind == TokenKind::wallet)
        return QObject::tr("Wallet session");
    return kind;
}

QVariant TokenCells::cell(const TokenRow &row, int column, int role, qint64 nowMs)
{
    const IssuedToken &t = row.token;
    if (role == Qt::ForegroundRole && !t.live(nowMs))
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole && (column == Expires || column == LastUsed || column == Created))
        return Format::dateTime(column == Expires    ? t.expiresAt
                                : column == LastUsed ? t.lastUsedAt
                                                     : t.createdAt);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Kind:
        return kindName(t.kind);
    case User:
        return row.userName.isEmpty() ? t.userId : row.userName;
    case Label:
        return t.label;
    case Created:
        return Format::shortDateTime(t.createdAt);
    case LastUsed:
        return Format::relative(t.lastUsedAt, nowMs);
    case Expires:
        return Format::relative(t.expiresAt, nowMs);
    case State:
        if (t.revokedAt > 0)
            return QObject::tr("Revoked %1").arg(Format::relative(t.revokedAt, nowMs));
        return t.expiresAt > nowMs ? QObject::tr("Live") : QObject::tr("Expired");
    case Id:
        return t.id;
    }
    return {};
}
