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
    // Stores `value` unless the name already has one (another instance sharing the file
    // got there first) and answers with the value now stored.
    void create(const QString &name, const QByteArray &value, ReadCallback done);

    Backend backend() const { return m_backend; }
    QString filePath() const;
    // Keeps every secret in `path` (the secrets.json format) instead of the keychain or
    // the data folder: the one file several instances on one database are given.
    void useSharedFile(const QString &path);

private:
    void useFile(const QString &why);
    std::optional<QByteArray> fileRead(const QString &name, QString *error) const;
    QString fileWrite(const QString &name, const std::optional<QByteArray> &value,
                      bool keepExisting = false, QByteArray *stored = nullptr) const;
    QString keychainKey(const QString &name) const;

    QString m_dataDir;
    QString m_sharedFile;
    Backend m_backend;
    bool m_canFallBack;
};
