// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/importsourceform.h"

#include "widgets/secretfield.h"
#include "widgets/tables.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace {
const Origins::Kind kKinds[] = {Origins::Kind::Lncrawl, Origins::Kind::Ambrosia,
                                Origins::Kind::Hapi};

QString carries(Origins::Kind kind)
{
    switch (kind) {
    case Origins::Kind::Lncrawl:
        return ImportSourceForm::tr("Users with their password hashes, admin and user roles, "
                                    "verified emails and API tokens (its SQLite file or "
                                    "PostgreSQL database).");
    case Origins::Kind::Ambrosia:
        return ImportSourceForm::tr("Staff with their PIN hashes, and the roles with their "
                                    "permissions (ambrosia.db in its data folder). Needs "
                                    "Ambrosia's secret.");
    case Origins::Kind::Hapi:
        return ImportSourceForm::tr("Telegram accounts bound to namespaces, and those namespaces "
                                    "(hapi.db in ~/.hapi). Give Gatehouse hapi's CLI_API_TOKEN "
                                    "first, so access tokens stay the same.");
    }
    return {};
}

} // namespace

ImportSourceForm::ImportSourceForm(QWidget *parent)
    : QWidget(parent), m_origin(new QComboBox), m_originHint(PageUi::hint(QString())),
      m_sourceType(new QComboBox), m_source(new QLineEdit),
      m_browse(new QPushButton(tr("&Browse…"))), m_secretLabel(new QLabel(tr("Ambrosia &secret:"))),
      m_secret(new SecretField), m_namespaceLabel(new QLabel(tr("&Namespace:"))),
      m_namespace(new QLineEdit)
{
    for (Origins::Kind kind : kKinds)
        m_origin->addItem(OriginImport::displayName(kind), OriginImport::commandName(kind));
    m_origin->setAccessibleName(tr("Origin server"));
    m_sourceType->addItems({tr("SQLite file"), tr("PostgreSQL URL"), tr("Data folder")});
    m_sourceType->setAccessibleName(tr("Kind of source"));
    m_source->setAccessibleName(tr("Source"));
    m_secret->setState(false);
    m_secret->edit()->setPlaceholderText(tr("the secret= line of ambrosia.conf"));
    m_secretLabel->setBuddy(m_secret);
    m_namespace->setPlaceholderText(tr("for a store from before namespaces (default: default)"));
    m_namespaceLabel->setBuddy(m_namespace);

    auto *sourceRow = new QHBoxLayout;
    sourceRow->addWidget(m_sourceType);
    sourceRow->addWidget(m_source, 1);
    sourceRow->addWidget(m_browse);
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Origin:"), m_origin);
    form->addRow(QString(), m_originHint);
    auto *sourceLabel = new QLabel(tr("So&urce:"));
    sourceLabel->setBuddy(m_source);
    form->addRow(sourceLabel, sourceRow);
    form->addRow(m_secretLabel, m_secret);
    form->addRow(m_namespaceLabel, m_namespace);

    connect(m_origin, &QComboBox::currentIndexChanged, this, &ImportSourceForm::originChanged);
    connect(m_sourceType, &QComboBox::currentIndexChanged, this,
            &ImportSourceForm::sourceTypeChanged);
    connect(m_browse, &QPushButton::clicked, this, &ImportSourceForm::browse);
    connect(m_source, &QLineEdit::textChanged, this, &ImportSourceForm::changed);
    connect(m_secret, &SecretField::edited, this, &ImportSourceForm::changed);
    connect(m_namespace, &QLineEdit::textChanged, this, &ImportSourceForm::changed);
    sourceTypeChanged();
    originChanged();
}

void ImportSourceForm::originChanged()
{
    const Origins::Kind kind = kKinds[qMax(0, m_origin->currentIndex())];
    m_originHint->setText(carries(kind));
    m_secretLabel->setVisible(kind == Origins::Kind::Ambrosia);
    m_secret->setVisible(kind == Origins::Kind::Ambrosia);
    m_namespaceLabel->setVisible(kind == Origins::Kind::Hapi);
    m_namespace->setVisible(kind == Origins::Kind::Hapi);
    Q_EMIT changed();
}

void ImportSourceForm::sourceTypeChanged()
{
    const int type = m_sourceType->currentIndex();
    m_browse->setEnabled(type != PostgresUrl);
    m_source->setPlaceholderText(type == SqliteFile    ? tr("path of the database file")
                                 : type == PostgresUrl ? u"postgresql://user:password@host/db"_s
                                                       : tr("the server's data folder"));
    Q_EMIT changed();
}

void ImportSourceForm::browse()
{
    const QString start = m_source->text().trimmed();
    const QString chosen =
        m_sourceType->currentIndex() == SqliteFile
            ? QFileDialog::getOpenFileName(this, tr("The origin's database file"), start,
                                           tr("SQLite databases (*.db *.sqlite *.sqlite3);;"
                                              "All files (*)"))
            : QFileDialog::getExistingDirectory(this, tr("The origin's data folder"), start);
    if (!chosen.isEmpty())
        m_source->setText(chosen);
}

QString ImportSourceForm::problem() const
{
    const QString source = m_source->text().trimmed();
    if (source.isEmpty())
        return m_sourceType->currentIndex() == PostgresUrl  ? tr("Enter the PostgreSQL URL.")
               : m_sourceType->currentIndex() == SqliteFile ? tr("Choose the database file.")
                                                            : tr("Choose the data folder.");
    if (m_sourceType->currentIndex() == PostgresUrl && !source.startsWith(u"postgres"))
        return tr("A PostgreSQL URL starts with postgresql://.");
    return {};
}

OriginImport::Request ImportSourceForm::request() const
{
    OriginImport::Request r;
    r.kind = kKinds[qMax(0, m_origin->currentIndex())];
    const QString source = m_source->text().trimmed();
    r.source = m_sourceType->currentIndex() == SqliteFile && !source.startsWith(u"sqlite:")
                   ? u"sqlite:"_s + source
                   : source;
    if (r.kind == Origins::Kind::Ambrosia)
        r.options.ambrosiaSecret = QString::fromUtf8(m_secret->value());
    if (r.kind == Origins::Kind::Hapi)
        r.options.hapiNamespace = m_namespace->text().trimmed();
    return r;
}
