// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secretstore.h"

#include "crypto/digest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSecrets, "gatehouse.secrets")

namespace {
const QString kService = u"gatehouse"_s;

bool keychainUnavailable(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented ||
           error == QKeychain::OtherError || error == QKeychain::AccessDenied;
}
} // namespace

SecretStore::SecretStore(const QString &dataDir, const QString &mode, QObject *parent)
    : QObject(parent), m_dataDir(dataDir),
      m_backend(mode == u"file" ? Backend::File : Backend::Keychain), m_canFallBack(mode == u"auto")
{}

QString SecretStore::filePath() const
{
    if (!m_sharedFile.isEmpty())
        return m_sharedFile;
    return QDir(m_dataDir).filePath(u"secrets.json"_s);
}

void SecretStore::useSharedFile(const QString &path)
{
    m_sharedFile = QFileInfo(path).absoluteFilePath();
    m_backend = Backend::File;
    m_canFallBack = false;
}

QString SecretStore::keychainKey(const QString &name) const
{
    // One keychain serves several data folders; keep their secrets apart.
    const QByteArray folder = QDir(m_dataDir).absolutePath().toUtf8();
    return QString::fromLatin1(Digest::sha256(folder).toHex().left(12)) + u'/' + name;
}

void SecretStore::useFile(const QString &why)
{
    m_backend = Backend::File;
    // A note, not a warning: a headless machine has no keychain by design. serve and the
    // console log it; the CLI shows it with --verbose only.
    qCInfo(lcSecrets).noquote()
        << u"no keychain available (%1); keeping secrets in %2 (mode 0600)"_s.arg(why.trimmed(),
                                                                                  filePath());
}

void SecretStore::read(const QString &name, ReadCallback done)
{
    if (m_backend == Backend::File) {
        QString error;
        auto value = fileRead(name, &error);
        done(std::move(value), error);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keychainKey(name));
    connect(job, &QKeychain::Job::finished, this, [this, job, name, done](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError)
            return done(job->binaryData(), QString());
        if (job->error() == QKeychain::EntryNotFound)
            return done(std::nullopt, QString());
        if (m_canFallBack && keychainUnavailable(job->error())) {
            useFile(job->errorString());
            return read(name, done);
        }
        done(std::nullopt, job->errorString());
    });
    job->start();
}

void SecretStore::write(const QString &name, const QByteArray &value, WriteCallback done)
{
    if (m_backend == Backend::File)
        return done(fileWrite(name, value));
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keychainKey(name));
    job->setBinaryData(value);
    connect(job, &QKeychain::Job::finished, this, [this, job, name, value, done](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError)
            return done(QString());
        if (m_canFallBack && keychainUnavailable(job->error())) {
            useFile(job->errorString());
            return write(name, value, done);
        }
        done(job->errorString());
    });
    job->start();
}

void SecretStore::remove(const QString &name, WriteCallback done)
{
    if (m_backend == Backend::File)
        return done(fileWrite(name, std::nullopt));
    auto *job = new QKeychain::DeletePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(keychainKey(name));
    connect(job, &QKeychain::Job::finished, this, [job, done](QKeychain::Job *) {
        const bool fine =
            job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        done(fine ? QString() : job->errorString());
    });
    job->start();
}

void SecretStore::create(const QString &name, const QByteArray &value, ReadCallback done)
{
    if (m_backend == Backend::File) {
        QByteArray stored;
        const QString error = fileWrite(name, value, /*keepExisting=*/true, &stored);
        return done(error.isEmpty() ? std::optional(stored) : std::nullopt, error);
    }
    write(name, value, [value, done](QString error) {
        done(error.isEmpty() ? std::optional(value) : std::nullopt, error);
    });
}

std::optional<QByteArray> SecretStore::fileRead(const QString &name, QString *error) const
{
    QFile file(filePath());
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1"_s.arg(filePath());
        return std::nullopt;
    }
    const QJsonObject all = QJsonDocument::fromJson(file.readAll()).object();
    if (!all.contains(name))
        return std::nullopt;
    return QByteArray::fromBase64(all.value(name).toString().toLatin1());
}

QString SecretStore::fileWrite(const QString &name, const std::optional<QByteArray> &value,
                               bool keepExisting, QByteArray *stored) const
{
    QDir().mkpath(QFileInfo(filePath()).absolutePath());
    // Instances on one host may share the file: one read-modify-write at a time.
    QLockFile lock(filePath() + u".lock"_s);
    if (!lock.tryLock(10000))
        return u"cannot lock %1.lock"_s.arg(filePath());
    QJsonObject all;
    if (QFile existing(filePath()); existing.open(QIODevice::ReadOnly))
        all = QJsonDocument::fromJson(existing.readAll()).object();
    if (keepExisting && all.contains(name)) {
        *stored = QByteArray::fromBase64(all.value(name).toString().toLatin1());
        return QString();
    }
    if (stored && value)
        *stored = *value;
    if (value)
        all.insert(name, QString::fromLatin1(value->toBase64()));
    else
        all.remove(name);
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly))
        return u"cannot write %1"_s.arg(filePath());
    // Restrict the temporary file before any secret is written into it.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(all).toJson());
    if (!file.commit())
        return u"cannot write %1"_s.arg(filePath());
    return QString();
}
