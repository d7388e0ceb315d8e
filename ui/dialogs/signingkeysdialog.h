// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/listtablemodel.h"
#include "oidc/signingkeys.h"

#include <QDialog>

struct ConsoleContext;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTableView;

// The OpenID provider's signing keys (kid, algorithm, created, retired or until when a
// retired key stays published) with "Rotate now": new current keys, the old ones kept
// in the JWKS for the overlap window. Reads and the rotation run on the workers.
class SigningKeysDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SigningKeysDialog(ConsoleContext &context, QWidget *parent = nullptr);
    void reload();
    // Asks first; rotate() is what a Yes runs.
    void askRotate();
    void rotate();

    QPushButton *rotateButton() const { return m_rotate; }
    QTableView *view() const { return m_view; }
    QString status() const;

Q_SIGNALS:
    void reloaded();
    void rotated(bool ok);

private:
    void buildUi();

    ConsoleContext &m_context;
    ListTableModel<SigningKeys::KeyInfo> *m_model;
    QTableView *m_view;
    QLabel *m_status;
    QPushButton *m_rotate;
    QDialogButtonBox *m_buttons;
};
