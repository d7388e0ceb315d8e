// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <exception>
#include <optional>
#include <type_traits>

// Where the console does its database reads and argon2id hashing: a small pool of
// threads, each with its own database connection (Database::connection() is per
// thread). Results come back on the GUI thread, and only while the object that asked
// still exists.
class Workers : public QObject
{
    Q_OBJECT
public:
    explicit Workers(QObject *parent = nullptr);
    ~Workers() override; // waits for running work

    // Runs `work()` on the pool and then `then(Result<T>)` on this object's thread,
    // unless `context` was deleted meanwhile. A Refusal thrown by `work` (console work
    // refuses with one too) arrives as that failed Result; any other exception
    // (StorageError…) as an Internal refusal with its text.
    template <typename Work, typename Then> void run(QObject *context, Work work, Then then)
    {
        using T = std::invoke_result_t<Work>;
        QPointer<QObject> guard(context);
        ++m_pending;
        m_pool.start([this, guard, work, then]() mutable {
            std::optional<T> value;
            std::optional<Refusal> error;
            try {
                value.emplace(work());
            } catch (const Refusal &refusal) {
                error = refusal;
            } catch (const std::exception &e) {
                error.emplace(Refusal::Kind::Internal, QString::fromUtf8(e.what()));
            }
            QMetaObject::invokeMethod(
                this,
                [this, guard, then, value, error]() mutable {
                    --m_pending;
                    if (guard)
                        then(value ? Result<T>(std::move(*value)) : Result<T>(std::move(*error)));
                    if (m_pending == 0)
                        Q_EMIT idle();
                },
                Qt::QueuedConnection);
        });
    }

    // Work started and not yet delivered; tests wait for zero.
    int pending() const { return m_pending; }
    void waitForDone() { m_pool.waitForDone(); }

Q_SIGNALS:
    void idle();

private:
    QThreadPool m_pool;
    int m_pending = 0;
};
