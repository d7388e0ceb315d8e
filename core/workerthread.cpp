// SPDX-License-Identifier: GPL-3.0-or-later
#include "workerthread.h"

#include <QThread>

void WorkerThread::QuitAndJoin::operator()(QThread *thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

WorkerThread::WorkerThread(const QString &name) : m_thread(new QThread)
{
    m_thread->setObjectName(name);
}

WorkerThread::~WorkerThread()
{
    stop();
}

void WorkerThread::hand(QObject *object)
{
    Q_ASSERT(m_thread && !object->parent());
    object->moveToThread(m_thread.get());
    // `finished` comes from the ending thread itself, which then runs the deferred
    // deletes it holds before wait() returns: the object dies on its own thread.
    QObject::connect(m_thread.get(), &QThread::finished, object, &QObject::deleteLater);
    m_adopted.emplace_back(object);
}

void WorkerThread::start()
{
    m_thread->start();
}

void WorkerThread::stop()
{
    const bool ran = m_thread && (m_thread->isRunning() || m_thread->isFinished());
    m_thread.reset();
    if (!ran) // no `finished`, so no deferred delete: nothing else runs them now
        for (const QPointer<QObject> &object : m_adopted)
            delete object.data();
    m_adopted.clear();
}
