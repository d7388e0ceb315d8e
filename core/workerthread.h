// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QString>
#include <memory>
#include <vector>

class QThread;

// A named thread with an event loop, owned like any member: destroying it (or stop())
// ends the loop and joins the thread. Objects handed to adopt() live on the thread and
// are deleted there as it finishes, so nothing they own is touched from another thread
// and they are gone by the time stop() returns. The model is qBittorrent's
// Utils::Thread::UniquePtr, plus that hand-over.
class WorkerThread
{
public:
    explicit WorkerThread(const QString &name);
    ~WorkerThread();
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    // Moves a parentless `object` onto this thread, which deletes it when it finishes.
    // Call before start(), or from the thread that owns `object`.
    template <typename T> T *adopt(T *object)
    {
        hand(object);
        return object;
    }
    void start();
    // Ends the event loop once the slot now running returns, deletes the adopted
    // objects on the thread, and joins it. Idempotent.
    void stop();
    QThread *thread() const { return m_thread.get(); }

private:
    struct QuitAndJoin
    {
        void operator()(QThread *thread) const;
    };
    void hand(QObject *object);

    std::unique_ptr<QThread, QuitAndJoin> m_thread;
    std::vector<QPointer<QObject>> m_adopted; // deleted here if the thread never ran
};
