// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/oauthtable.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStyledItemDelegate>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
constexpr int kNewSecretRole = Qt::UserRole + 1;
constexpr int kStoredRole = Qt::UserRole + 2;

// Edits a client secret in a masked field; the cell shows only whether one is there.
class SecretDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &) const override
    {
        auto *edit = new QLineEdit(parent);
        edit->setEchoMode(QLineEdit::Password);
        edit->setPlaceholderText(QObject::tr("new client secret"));
        return edit;
    }
    void setEditorData(QWidget *, const QModelIndex &) const override {}
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override
    {
        const QString text = static_cast<QLineEdit *>(editor)->text();
        if (text.isEmpty())
            return;
        model->setData(index, text, kNewSecretRole);
        model->setData(index, QObject::tr("new, saved on Save"), Qt::DisplayRole);
    }
};

QString validUrlOrEmpty(const QString &text)
{
    if (text.isEmpty())
        return QString();
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") ||
        url.host().isEmpty())
        return text;
    return QString();
}
} // namespace

OAuthTable::OAuthTable(QWidget *parent) : QTableWidget(0, ColumnCount, parent)
{
    setHorizontalHeaderLabels({tr("Name"), tr("Client ID"), tr("Issuer (discovery)"),
                               tr("Authorize URL"), tr("Token URL"), tr("Userinfo URL"),
                               tr("Client secret")});
    setItemDelegateForColumn(Secret, new SecretDelegate(this));
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setTabKeyNavigation(false);
    setWordWrap(false);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    const int widths[] = {85, 170, 175, 125, 125, 125};
    for (int c = 0; c < 6; ++c)
        horizontalHeader()->resizeSection(c, widths[c]);
    setMinimumHeight(110);
    setMaximumHeight(170);
    setToolTip(tr("Google, Twitter and Telegram have built-in endpoints; any other name is a "
                  "generic OIDC provider: give its issuer, or the three URLs."));
}

void OAuthTable::setProviders(const QMap<QString, OAuthProviderSettings> &providers,
                              const std::function<bool(const QString &)> &secretStored)
{
    setRowCount(0);
    m_loaded.clear();
    for (const OAuthProviderSettings &p : providers) {
        const int row = rowCount();
        insertRow(row);
        const QString cells[] = {p.name,         p.clientId, p.issuer,
                                 p.authorizeUrl, p.tokenUrl, p.userinfoUrl};
        for (int c = 0; c < 6; ++c)
            setItem(row, c, new QTableWidgetItem(cells[c]));
        const bool stored = !p.clientSecret.isEmpty() || (secretStored && secretStored(p.name));
        auto *secret =
            new QTableWidgetItem(stored ? tr("stored — edit to replace") : tr("not set"));
        secret->setData(kStoredRole, stored);
        setItem(row, Secret, secret);
        m_loaded << p.name;
    }
}

void OAuthTable::addProvider(const QString &name)
{
    const int row = rowCount();
    insertRow(row);
    setItem(row, Name, new QTableWidgetItem(name));
    for (int c = 1; c < 6; ++c)
        setItem(row, c, new QTableWidgetItem);
    setItem(row, Secret, new QTableWidgetItem(tr("not set")));
    setCurrentCell(row, Name);
    if (name.isEmpty())
        editItem(item(row, Name));
}

void OAuthTable::removeSelected()
{
    if (currentRow() >= 0)
        removeRow(currentRow());
}

QMap<QString, OAuthProviderSettings> OAuthTable::providers() const
{
    QMap<QString, OAuthProviderSettings> out;
    for (int row = 0; row < rowCount(); ++row) {
        auto text = [&](int c) {
            return item(row, c) ? item(row, c)->text().trimmed() : QString();
        };
        OAuthProviderSettings p;
        p.name = text(Name).toLower();
        if (p.name.isEmpty())
            continue;
        p.clientId = text(ClientId);
        p.issuer = text(Issuer);
        p.authorizeUrl = text(AuthorizeUrl);
        p.tokenUrl = text(TokenUrl);
        p.userinfoUrl = text(UserinfoUrl);
        out.insert(p.name, p);
    }
    return out;
}

QMap<QString, QByteArray> OAuthTable::newSecrets() const
{
    QMap<QString, QByteArray> out;
    for (int row = 0; row < rowCount(); ++row) {
        const QTableWidgetItem *name = item(row, Name);
        const QTableWidgetItem *secret = item(row, Secret);
        if (name && secret && !secret->data(kNewSecretRole).toString().isEmpty())
            out.insert(name->text().trimmed().toLower(),
                       secret->data(kNewSecretRole).toString().toUtf8());
    }
    return out;
}

QStringList OAuthTable::removed() const
{
    QStringList gone = m_loaded;
    for (const QString &name : providers().keys())
        gone.removeAll(name);
    return gone;
}

QString OAuthTable::problem() const
{
    static const QRegularExpression validName(u"^[a-z0-9][a-z0-9_-]{0,31}$"_s);
    QStringList seen;
    for (int row = 0; row < rowCount(); ++row) {
        auto text = [&](int c) {
            return item(row, c) ? item(row, c)->text().trimmed() : QString();
        };
        const QString name = text(Name).toLower();
        if (name.isEmpty()) {
            if (!text(ClientId).isEmpty())
                return tr("Provider in row %1 has no name.").arg(row + 1);
            continue;
        }
        if (!validName.match(name).hasMatch())
            return tr("Provider name “%1”: use a-z, 0-9, _ and -.").arg(name);
        if (seen.contains(name))
            return tr("Provider “%1” is listed twice.").arg(name);
        seen << name;
        if (text(ClientId).isEmpty())
            return tr("Provider “%1” needs a client ID.").arg(name);
        for (int c : {Issuer, AuthorizeUrl, TokenUrl, UserinfoUrl})
            if (const QString bad = validUrlOrEmpty(text(c)); !bad.isEmpty())
                return tr("Provider “%1”: “%2” is not an http(s) URL.").arg(name, bad);
    }
    return QString();
}

void OAuthTable::setSecret(int row, const QString &secret)
{
    if (QTableWidgetItem *cell = item(row, Secret)) {
        cell->setData(kNewSecretRole, secret);
        cell->setText(tr("new, saved on Save"));
    }
}
