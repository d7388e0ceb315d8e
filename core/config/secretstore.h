// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>
#include <optional>

// Where secrets live: the desktop keychain through QtKeychain, or, where no keychain
// answers (headless servers, CI), a 0600 file in the data folder with a logged
// warning. All calls are asynchronous; callbacks run on this object's thread. Nothing
// here ever spins an event loop.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Keychain, File };
    using ReadCallback = std::function<void(std::optional<QByteArray> value, QString error)>;
    using WriteCallback = std::function<void(QString error)>;

    // mode: "auto" (keychain, falling back to the file), "keychain" or "file".
    SecretStore(const QString &dataDir, const QString &mode, QObject *parent = nullptr);

    void read(const QString &name, ReadCallback done);
    void write(const QString &name, const QByteArray &value, WriteCallback done);
    void remove(const QString &name, WriteCallback done);

    Backend backend() const { return m_backend; }
    QString filePath() const;

private:
    void useFile(const QString &why);
    std::optional<QByteArray> fileRead(const QString &name, QString *error) const;
    QString fileWrite(const QString &name, const std::optional<QByteArray> &value) const;
    QString keychainKey(const QString &name) const;

    QString m_dataDir;
    Backend m_backend;
    bool m_canFallBack;
};
