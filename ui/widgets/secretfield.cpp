// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/secretfield.h"

#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>

SecretField::SecretField(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit), m_clear(new QToolButton)
{
    m_edit->setEchoMode(QLineEdit::Password);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Remove the stored value when saving"));
    m_clear->setCheckable(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_clear);
    setFocusProxy(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, [this] {
        if (!m_edit->text().isEmpty())
            m_clear->setChecked(false);
        Q_EMIT edited();
    });
    connect(m_clear, &QToolButton::toggled, this, [this](bool on) {
        m_remove = on;
        if (on)
            m_edit->clear();
        updatePlaceholder();
        Q_EMIT edited();
    });
    updatePlaceholder();
}

void SecretField::setState(bool stored, const QString &environmentName)
{
    m_stored = stored;
    m_environment = environmentName;
    m_remove = false;
    m_clear->setChecked(false);
    m_edit->clear();
    const bool fromEnvironment = !environmentName.isEmpty();
    m_edit->setEnabled(!fromEnvironment);
    m_clear->setEnabled(!fromEnvironment && stored);
    if (fromEnvironment)
        m_edit->setPlaceholderText(tr("set by the environment variable %1").arg(environmentName));
    else
        updatePlaceholder();
}

void SecretField::updatePlaceholder()
{
    if (!m_edit->isEnabled())
        return;
    if (m_remove)
        m_edit->setPlaceholderText(tr("will be removed when you save"));
    else if (m_stored)
        m_edit->setPlaceholderText(tr("stored — type to replace"));
    else
        m_edit->setPlaceholderText(tr("not set"));
}

SecretField::Change SecretField::change() const
{
    if (!m_edit->text().isEmpty())
        return Change::Replace;
    return m_remove && m_stored ? Change::Remove : Change::Keep;
}

QByteArray SecretField::value() const
{
    return m_edit->text().toUtf8();
}

void SecretField::setValue(const QString &text)
{
    m_edit->setText(text);
    m_clear->setChecked(false);
    Q_EMIT edited();
}

void SecretField::reset()
{
    setState(m_stored, m_environment);
}
