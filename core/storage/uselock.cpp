// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/uselock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

DatabaseUseLock::~DatabaseUseLock()
{
    release();
}

QString DatabaseUseLock::lockPath(const QString &databasePath)
{
    return databasePath + u".lock"_s;
}

bool DatabaseUseLock::acquire(const QString &databasePath, Mode mode, int waitMs)
{
    release();
#ifdef Q_OS_UNIX
    const QByteArray path = QFile::encodeName(lockPath(databasePath));
    m_fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        m_error = u"cannot open %1: %2"_s.arg(lockPath(databasePath),
                                              QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    const int operation = (mode == Mode::Shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
    QElapsedTimer waited;
    waited.start();
    while (::flock(m_fd, operation) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            m_error = u"cannot lock %1: %2"_s.arg(lockPath(databasePath),
                                                  QString::fromLocal8Bit(std::strerror(errno)));
            release();
            return false;
        }
        if (waited.elapsed() >= waitMs) {
            m_error = mode == Mode::Shared
                          ? u"%1 is being restored; try again when the "
                            u"restore has finished"_s.arg(databasePath)
                          : u"%1 is in use by a running Gatehouse (server, "
                            u"console or command); stop it first"_s.arg(databasePath);
            release();
            return false;
        }
        QThread::msleep(20);
    }
#else
    Q_UNUSED(databasePath);
    Q_UNUSED(mode);
    Q_UNUSED(waitMs);
#endif
    return true;
}

void DatabaseUseLock::release()
{
#ifdef Q_OS_UNIX
    if (m_fd >= 0)
        ::close(m_fd); // drops the flock
#endif
    m_fd = -1;
}
