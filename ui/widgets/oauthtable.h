// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/settings.h"

#include <QMap>
#include <QTableWidget>
#include <functional>

// The OAuth/OIDC providers of the Settings page, one per row. Client secrets are typed
// into a masked editor and never shown; they go to the SecretStore, not the file.
class OAuthTable : public QTableWidget
{
    Q_OBJECT
public:
    enum Column {
        Name,
        ClientId,
        Issuer,
        AuthorizeUrl,
        TokenUrl,
        UserinfoUrl,
        Secret,
        ColumnCount
    };

    explicit OAuthTable(QWidget *parent = nullptr);

    void setProviders(const QMap<QString, OAuthProviderSettings> &providers,
                      const std::function<bool(const QString &name)> &secretStored);
    void addProvider(const QString &name = QString());
    void removeSelected();

    // The rows as settings (clientSecret left empty).
    QMap<QString, OAuthProviderSettings> providers() const;
    // Secrets typed since setProviders(), by provider name.
    QMap<QString, QByteArray> newSecrets() const;
    // Providers loaded by setProviders() that are gone now.
    QStringList removed() const;
    // Empty when every row is usable, else why not.
    QString problem() const;
    void setSecret(int row, const QString &secret); // tests

private:
    QStringList m_loaded;
};
