// SPDX-License-Identifier: GPL-3.0-or-later
// WorkerThread: what the shutdown code of AuditLog, Outbox, Housekeeping and HttpServer
// relies on. An adopted object is deleted on its own thread, and is gone when stop() (or
// the destructor) returns; a slot in progress finishes first; a thread that never ran
// still deletes what it adopted.
#include "workerthread.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace Qt::StringLiterals;

namespace {

// Records the thread it dies on.
class Probe : public QObject
{
public:
    explicit Probe(std::atomic<QThread *> &diedOn) : m_diedOn(diedOn) {}
    ~Probe() override { m_diedOn = QThread::currentThread(); }

private:
    std::atomic<QThread *> &m_diedOn;
};

} // namespace

class TestWorkerThread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void adoptedObjectDiesOnItsThread();
    void destructorJoins();
    void runningSlotFinishesFirst();
    void neverStarted();
};

void TestWorkerThread::adoptedObjectDiesOnItsThread()
{
    std::atomic<QThread *> diedOn = nullptr;
    WorkerThread worker(u"probe"_s);
    Probe *probe = worker.adopt(new Probe(diedOn));
    QThread *thread = worker.thread();
    QCOMPARE(thread->objectName(), u"probe"_s);
    QCOMPARE(probe->thread(), thread);
    worker.start();
    QThread *ranOn = nullptr;
    QMetaObject::invokeMethod(
        probe, [&] { ranOn = QThread::currentThread(); }, Qt::BlockingQueuedConnection);
    QCOMPARE(ranOn, thread);
    worker.stop();
    QCOMPARE(diedOn.load(), thread); // deleted there, and before stop() returned
    QVERIFY(!worker.thread());
    worker.stop(); // twice is harmless
}

void TestWorkerThread::destructorJoins()
{
    std::atomic<QThread *> diedOn = nullptr;
    QThread *thread = nullptr;
    {
        WorkerThread worker(u"scoped"_s);
        worker.adopt(new Probe(diedOn));
        thread = worker.thread();
        worker.start();
        QVERIFY(QTest::qWaitFor([&] { return thread->isRunning(); }));
    }
    QCOMPARE(diedOn.load(), thread);
}

void TestWorkerThread::runningSlotFinishesFirst()
{
    std::atomic<QThread *> diedOn = nullptr;
    std::atomic<bool> finished = false;
    QSemaphore entered;
    WorkerThread worker(u"busy"_s);
    Probe *probe = worker.adopt(new Probe(diedOn));
    worker.start();
    QMetaObject::invokeMethod(
        probe,
        [&] {
            entered.release();
            QThread::msleep(200);
            finished = true;
        },
        Qt::QueuedConnection);
    entered.acquire();
    worker.stop();
    QVERIFY(finished);
    QVERIFY(diedOn.load() != nullptr);
}

void TestWorkerThread::neverStarted()
{
    std::atomic<QThread *> diedOn = nullptr;
    {
        WorkerThread worker(u"idle"_s);
        worker.adopt(new Probe(diedOn));
    }
    QCOMPARE(diedOn.load(), QThread::currentThread()); // not leaked
}

QTEST_GUILESS_MAIN(TestWorkerThread)
#include "tst_workerthread.moc"
