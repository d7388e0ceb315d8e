// SPDX-License-Identifier: GPL-3.0-or-later
#include "dialogs/clientdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QStringList linesOf(const QPlainTextEdit *edit)
{
    QStringList out;
    for (const QString &line : edit->toPlainText().split(u'\n'))
        if (!line.trimmed().isEmpty())
            out << line.trimmed();
    return out;
}

QPlainTextEdit *uriEdit(const QString &placeholder, const QString &accessibleName)
{
    auto *edit = new QPlainTextEdit;
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(accessibleName);
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFixedHeight(78);
    return edit;
}

OidcClient newClient()
{
    OidcClient c;
    c.scopes = {u"openid"_s, u"profile"_s, u"email"_s};
    return c;
}

} // namespace

ClientDialog::ClientDialog(const std::optional<OidcClient> &existing, QWidget *parent)
    : QDialog(parent), m_existing(existing), m_name(new QLineEdit),
      m_redirects(uriEdit(u"https://grafana.example.org/login/generic_oauth"_s,
                          tr("Redirect URIs, one per line"))),
      m_postLogout(uriEdit(u"https://grafana.example.org/login"_s,
                           tr("Post-logout redirect URIs, one per line"))),
      m_firstParty(new QCheckBox(tr("&First-party app: skip the consent page"))),
      m_public(new QCheckBox(tr("&Public client: no secret (native or browser app; PKCE only)"))),
      m_pkce(new QCheckBox(tr("Require P&KCE (turn off only for an app that cannot send it, "
                              "such as Gitea)"))),
      m_alg(new QComboBox), m_error(new QLabel)
{
    setWindowTitle(existing ? tr("Edit client %1").arg(existing->name) : tr("New client"));
    buildUi(existing.has_value());
    load(existing.value_or(newClient()));
}

void ClientDialog::buildUi(bool editing)
{
    m_name->setMaxLength(100);
    m_name->setPlaceholderText(tr("e.g. Grafana"));
    auto *scopes = new QHBoxLayout;
    for (const QString &scope : OidcClients::knownScopes()) {
        auto *box = new QCheckBox(scope);
        box->setObjectName(u"scope-"_s + scope);
        m_scopes.insert(scope, box);
        scopes->addWidget(box);
    }
    scopes->addStretch();
    // Every OpenID Connect request carries openid; a client without it could not sign in.
    m_scopes.value(u"openid"_s)->setEnabled(false);
    m_scopes.value(u"openid"_s)->setToolTip(tr("Always allowed: OpenID Connect needs it"));
    m_scopes.value(u"offline_access"_s)->setToolTip(tr("Allows refresh tokens"));
    m_alg->addItems({u"RS256"_s, u"ES256"_s});
    m_alg->setAccessibleName(tr("ID token signing algorithm"));
    m_public->setEnabled(!editing);
    if (editing)
        m_public->setToolTip(tr("Fixed when the client is created"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Redirect URIs:"), m_redirects);
    form->addRow(tr("Post-&logout URIs:"), m_postLogout);
    form->addRow(tr("Scopes:"), scopes);
    form->addRow(tr("ID token &algorithm:"), m_alg);
    form->addRow(QString(), m_firstParty);
    form->addRow(QString(), m_public);
    form->addRow(QString(), m_pkce);
    m_pkce->setChecked(true);
    // A public client has nothing but PKCE to prove it is the one that asked.
    connect(m_public, &QCheckBox::toggled, m_pkce, [this](bool isPublic) {
        if (isPublic)
            m_pkce->setChecked(true);
        m_pkce->setEnabled(!isPublic);
    });
    auto *hint = new QLabel(tr("Redirect URIs match exactly. https, or http on 127.0.0.1, "
                               "[::1] or localhost; native apps may use a reversed-domain "
                               "scheme (com.example.app:/callback). No fragments."));
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_error->setObjectName(u"error"_s);
    m_error->setStyleSheet(u"color: #b3261e"_s);
    m_error->setWordWrap(true);
    m_error->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    if (!editing)
        m_buttons->button(QDialogButtonBox::Save)->setText(tr("&Create"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ClientDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ClientDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    setMinimumWidth(560);
}

void ClientDialog::load(const OidcClient &c)
{
    m_name->setText(c.name);
    m_redirects->setPlainText(c.redirectUris.join(u'\n'));
    m_postLogout->setPlainText(c.postLogoutRedirectUris.join(u'\n'));
    for (auto it = m_scopes.cbegin(); it != m_scopes.cend(); ++it)
        it.value()->setChecked(it.key() == u"openid" || c.scopes.contains(it.key()));
    m_firstParty->setChecked(c.firstParty);
    m_public->setChecked(c.isPublic);
    m_pkce->setChecked(c.requirePkce || c.isPublic);
    m_pkce->setEnabled(!c.isPublic);
    m_alg->setCurrentText(c.idTokenAlg);
}

OidcClient ClientDialog::client() const
{
    OidcClient c = m_existing.value_or(OidcClient{});
    c.name = m_name->text().trimmed();
    c.redirectUris = linesOf(m_redirects);
    c.postLogoutRedirectUris = linesOf(m_postLogout);
    c.scopes.clear();
    for (const QString &scope : OidcClients::knownScopes())
        if (m_scopes.value(scope)->isChecked())
            c.scopes << scope;
    c.firstParty = m_firstParty->isChecked();
    c.requirePkce = m_pkce->isChecked();
    if (!m_existing)
        c.isPublic = m_public->isChecked();
    c.idTokenAlg = m_alg->currentText();
    return c;
}

// What the form can tell without the database; OidcClients checks it all again.
QString ClientDialog::problem() const
{
    const OidcClient c = client();
    if (c.name.isEmpty())
        return tr("Give the client a name.");
    if (c.redirectUris.isEmpty())
        return tr("Add at least one redirect URI, one per line.");
    for (const QStringList &uris : {c.redirectUris, c.postLogoutRedirectUris})
        for (const QString &uri : uris)
            if (const QString why = OidcClients::redirectUriProblem(uri); !why.isEmpty())
                return why;
    return {};
}

void ClientDialog::submit()
{
    if (const QString why = problem(); !why.isEmpty()) {
        showError(why);
        return;
    }
    m_error->hide();
    Q_EMIT submitted(client());
}

void ClientDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    setBusy(false);
}

void ClientDialog::setBusy(bool busy)
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!busy);
}
