// SPDX-License-Identifier: GPL-3.0-or-later
#include "shutdown.h"

#include <QObject>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <csignal>
#include <fcntl.h>
#include <initializer_list>
#include <unistd.h>

namespace {
// A self-pipe per purpose: the signal handler only writes a byte, the event loop reads it.
int g_shutdownPipe[2] = {-1, -1};
int g_reloadPipe[2] = {-1, -1};

void onShutdownSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_shutdownPipe[1], &byte, 1);
}

void onReloadSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_reloadPipe[1], &byte, 1);
}

void watch(int (&pipe)[2], void (*onSignal)(int), std::initializer_list<int> numbers,
           QObject *context, std::function<void()> handler, bool once)
{
    if (::pipe2(pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return;
    const int readEnd = pipe[0];
    auto *notifier = new QSocketNotifier(readEnd, QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context,
                     [notifier, handler, once, readEnd] {
                         char byte;
                         while (::read(readEnd, &byte, 1) > 0) {
                         }
                         if (once)
                             notifier->setEnabled(false);
                         handler(); // several signals in a row: one call
                     });
    struct sigaction action
    {
    };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signal : numbers)
        sigaction(signal, &action, nullptr);
}
} // namespace

void onShutdownRequest(QObject *context, std::function<void()> handler)
{
    watch(g_shutdownPipe, onShutdownSignal, {SIGINT, SIGTERM}, context, std::move(handler), true);
}

void onReloadRequest(QObject *context, std::function<void()> handler)
{
    watch(g_reloadPipe, onReloadSignal, {SIGHUP}, context, std::move(handler), false);
}
#else
void onShutdownRequest(QObject *, std::function<void()>) {}
void onReloadRequest(QObject *, std::function<void()>) {}
#endif
