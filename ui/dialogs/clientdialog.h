// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "oidc/oidcclients.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

// Creates or edits an OpenID Connect client. The form checks what it can by itself
// (redirectUriProblem); the page saves on a worker and, when OidcClients refuses, shows
// the reason here with showError() while the dialog stays open.
class ClientDialog : public QDialog
{
    Q_OBJECT
public:
    // `existing` empty: a new client (the public flag can be chosen only then).
    explicit ClientDialog(const std::optional<OidcClient> &existing, QWidget *parent = nullptr);

    OidcClient client() const; // the form's values over the existing client
    void showError(const QString &message);
    void setBusy(bool busy);

    QLineEdit *nameField() const { return m_name; }
    QPlainTextEdit *redirectUrisField() const { return m_redirects; }
    QPlainTextEdit *postLogoutUrisField() const { return m_postLogout; }
    QCheckBox *scopeBox(const QString &scope) const { return m_scopes.value(scope); }
    QCheckBox *firstPartyBox() const { return m_firstParty; }
    QCheckBox *publicBox() const { return m_public; }
    QComboBox *algorithmBox() const { return m_alg; }
    QLabel *errorLabel() const { return m_error; }

    // Checks the form; when it is fine emits submitted() (the dialog stays open).
    void submit();

Q_SIGNALS:
    void submitted(const OidcClient &client);

private:
    void buildUi(bool editing);
    void load(const OidcClient &client);
    QString problem() const;

    std::optional<OidcClient> m_existing;
    QLineEdit *m_name;
    QPlainTextEdit *m_redirects;
    QPlainTextEdit *m_postLogout;
    QMap<QString, QCheckBox *> m_scopes;
    QCheckBox *m_firstParty;
    QCheckBox *m_public;
    QCheckBox *m_pkce;
    QComboBox *m_alg;
    QLabel *m_error;
    QDialogButtonBox *m_buttons = nullptr;
};
