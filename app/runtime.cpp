// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime.h"

#include "config/keycheck.h"
#include "storage/databaseurl.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
QString g_programName = u"gatehouse"_s;
}

void setProgramName(const QString &name)
{
    g_programName = name;
}

QString programName()
{
    return g_programName;
}

void printError(const QString &message)
{
    // One line, whatever the message (driver errors come with newlines).
    std::fprintf(stderr, "%s: %s\n", qUtf8Printable(g_programName),
                 qUtf8Printable(message.simplified()));
    std::fflush(stderr);
}

void printLine(const QString &text)
{
    std::fprintf(stdout, "%s\n", qUtf8Printable(text));
    std::fflush(stdout);
}

namespace {

QString prepareDataDir(const QString &path)
{
    QDir dir(path);
    if (!dir.exists() && !QDir().mkpath(path))
        return u"cannot create data folder %1"_s.arg(path);
    const QFileInfo info(path);
    if (!info.isDir())
        return u"data folder %1 is not a folder"_s.arg(path);
    if (!info.isReadable() || !info.isWritable())
        return u"data folder %1 is not readable and writable"_s.arg(path);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return QString();
}

} // namespace

void startRuntime(Runtime &runtime, const Settings &settings, std::function<void(QString)> done)
{
    if (const QString problem = prepareDataDir(settings.dataDir); !problem.isEmpty())
        return done(problem);
    auto url = DatabaseUrl::parse(settings.database);
    if (!url)
        return done(url.error());
    auto db = std::make_unique<Database>(*url);
    if (auto opened = db->open(); !opened)
        return done(opened.error());

    runtime.secretStore = std::make_unique<SecretStore>(settings.dataDir, settings.secretStore);
    if (!settings.secretsFile.isEmpty())
        runtime.secretStore->useSharedFile(settings.secretsFile);
    QStringList extra;
    for (const OAuthProviderSettings &p : settings.oauthProviders)
        extra << SecretName::oauthClientSecret(p.name);
    auto *dbRaw = db.release();
    loadSecrets(*runtime.secretStore, QProcessEnvironment::systemEnvironment(), runtime.secrets,
                extra, [&runtime, settings, dbRaw, done](Result<Done> loaded) {
                    std::unique_ptr<Database> db(dbRaw);
                    if (!loaded)
                        return done(loaded.error());
                    if (auto same = checkSharedSecrets(*db, runtime.secrets); !same)
                        return done(same.error());
                    try {
                        runtime.services = std::make_unique<Services>(
                            settings, std::move(db), runtime.secrets, runtime.clock);
                    } catch (const std::exception &error) {
                        return done(QString::fromUtf8(error.what()));
                    }
                    done(QString());
                });
}
