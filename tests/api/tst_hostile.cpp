// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile clients against the in-process server, over raw POSIX sockets: pipelined
// floods from a client that never reads, chunked bodies in 1-byte chunks, slow-loris
// blank lines, one address taking every slot, and a stop with everything in flight.
// Each reproduces a finding of issue 12 at reduced scale and checks the bounded result:
// the process's RSS (from /proc/self/status) grows by less than 150 MiB and /healthz,
// on a fresh connection from another address, keeps answering fast.
#include "hostiletesting.h"
#include "services.h"
#include "testserver.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;

using namespace HostileTesting;

class HostileTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Row 1: 4 connections pipelining /metrics without ever reading. The server reads
    // them only as fast as the clients read answers (which is never), then closes them.
    void pipelinedFloodFromClientsThatNeverRead()
    {
        TestServer server([](Settings &s) { s.idleTimeoutSecs = 3; });
        const quint16 port = server.port();
        const QByteArray flood = repeat("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 40000);
        std::vector<int> fds;
        for (int i = 0; i < 4; ++i) {
            fds.push_back(connectFrom(port, "127.0.0.2"));
            QVERIFY(fds.back() >= 0);
            setNonBlocking(fds.back());
        }
        std::vector<qint64> sent(fds.size(), 0);
        Probe probe;
        const qint64 growth = underAttack(port, probe, [&] {
            QElapsedTimer timer;
            timer.start();
            while (timer.elapsed() < 5000) { // writes what the server lets in, for 5 s
                for (size_t i = 0; i < fds.size(); ++i)
                    if (sent[i] >= 0 && sent[i] < flood.size()) {
                        const qint64 n =
                            sendSome(fds[i], flood.constData() + sent[i], flood.size() - sent[i]);
                        sent[i] = n < 0 ? -1 : sent[i] + n;
                    }
                QThread::msleep(5);
            }
        });
        QVERIFY2(growth < kMaxGrowthMiB, qPrintable(u"RSS grew %1 MiB"_s.arg(growth)));
        const QString slow = judge(probe);
        QVERIFY2(slow.isEmpty(), qPrintable(slow));
        // Clients that read nothing for idle_timeout are closed, unread answers and all.
        QElapsedTimer timer;
        timer.start();
        const auto allClosed = [&] {
            return std::all_of(fds.begin(), fds.end(), [](int fd) { return serverClosed(fd); });
        };
        while (!allClosed() && timer.elapsed() < 8000)
            QThread::msleep(100);
        QVERIFY2(allClosed(), "a client that reads nothing is still connected");
        for (int fd : fds)
            ::close(fd);
    }

    // The same flood from a client that reads late: it is held back, not refused, and
    // gets every answer in order once it reads. With the tightest limits the guard holds
    // QtHttpServer back after every request and lets it go on after every answer.
    void pipelinedFloodIsAnsweredOnceTheClientReads_data()
    {
        QTest::addColumn<int>("maxPipelined");
        QTest::addColumn<int>("maxOutputBytes");
        QTest::newRow("defaults") << 64 << (1 << 20);
        QTest::newRow("tightest") << 1 << 4096;
    }
    void pipelinedFloodIsAnsweredOnceTheClientReads()
    {
        QFETCH(int, maxPipelined);
        QFETCH(int, maxOutputBytes);
        TestServer server([&](Settings &s) {
            s.maxPipelined = maxPipelined;
            s.maxOutputBytes = maxOutputBytes;
        });
        const int requests = 6000;
        const QByteArray request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray flood = repeat(request, requests);
        const int fd = connectFrom(server.port());
        QVERIFY(fd >= 0);
        setNonBlocking(fd);
        qint64 sent = 0;
        QByteArray received;
        int answers = 0;
        QElapsedTimer timer;
        timer.start();
        // One second of writing only, then reading and writing until every answer is in.
        while (answers < requests && timer.elapsed() < 30000) {
            if (sent < flood.size()) {
                const qint64 n = sendSome(fd, flood.constData() + sent, flood.size() - sent);
                QVERIFY(n >= 0);
                sent += n;
            }
            if (timer.elapsed() < 1000) {
                QThread::msleep(5);
                continue;
            }
            QVERIFY(readFor(fd, received, 20));
            qsizetype at = 0;
            for (;;) {
                const qsizetype head = received.indexOf("\r\n\r\n", at);
                if (head < 0)
                    break;
                const qsizetype cl = received.indexOf("Content-Length: ", at);
                if (cl < 0 || cl > head)
                    break;
                const qsizetype length =
                    received.mid(cl + 16, received.indexOf("\r\n", cl) - cl - 16).toLongLong();
                if (received.size() < head + 4 + length)
                    break;
                QVERIFY(received.mid(at).startsWith("HTTP/1.1 200 "));
                ++answers;
                at = head + 4 + length;
            }
            received.remove(0, at);
        }
        ::close(fd);
        QCOMPARE(answers, requests);
    }

    // Row 2: 16 connections each sending a 1 MiB body as 1-byte chunks (6 MiB on the
    // wire). Refused early (413), memory stays flat, /healthz stays fast.
    void chunkedBodiesInOneByteChunks()
    {
        TestServer server;
        const quint16 port = server.port();
        QByteArray body = "POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n";
        body += repeat("1\r\nx\r\n", 1 << 20) + "0\r\n\r\n";
        std::vector<int> fds;
        for (int i = 0; i < 16; ++i) {
            fds.push_back(connectFrom(port, "127.0.0.2"));
            QVERIFY(fds.back() >= 0);
            setNonBlocking(fds.back());
        }
        std::vector<QByteArray> replies(fds.size());
        Probe probe;
        const qint64 growth = underAttack(port, probe, [&] {
            std::vector<qint64> sent(fds.size(), 0);
            QElapsedTimer timer;
            timer.start();
            const auto answered = [&](size_t i) { return replies[i].contains("\r\n\r\n"); };
            while (timer.elapsed() < 15000) {
                bool busy = false;
                for (size_t i = 0; i < fds.size(); ++i) {
                    if (answered(i) || sent[i] < 0)
                        continue;
                    busy = true;
                    if (sent[i] < body.size()) {
                        const qint64 n =
                            sendSome(fds[i], body.constData() + sent[i], body.size() - sent[i]);
                        sent[i] = n < 0 ? -1 : sent[i] + n;
                    }
                    if (!readFor(fds[i], replies[i], 0))
                        sent[i] = -1;
                }
                if (!busy)
                    break;
                QThread::msleep(2);
            }
        });
        QVERIFY2(growth < kMaxGrowthMiB, qPrintable(u"RSS grew %1 MiB"_s.arg(growth)));
        const QString slow = judge(probe);
        QVERIFY2(slow.isEmpty(), qPrintable(slow));
        for (size_t i = 0; i < fds.size(); ++i) {
            QVERIFY2(replies[i].startsWith("HTTP/1.1 413 "), replies[i].left(200).constData());
            ::close(fds[i]);
        }
    }

    // Row 4: 80 connections from one address sending a blank line every 300 ms. Past the
    // per-address cap they are turned away; the rest are closed at the request deadline,
    // which blank lines do not reset; /healthz from another address keeps answering.
    void blankLinesDoNotHoldSlots()
    {
        TestServer server([](Settings &s) {
            s.requestTimeoutSecs = 2;
            s.idleTimeoutSecs = 4;
        });
        const quint16 port = server.port();
        QCOMPARE(server.services().settings.maxConnectionsPerIp, 64); // the default
        std::vector<int> fds;
        for (int i = 0; i < 80; ++i) {
            fds.push_back(connectFrom(port, "127.0.0.2"));
            QVERIFY(fds.back() >= 0);
            setNonBlocking(fds.back());
        }
        std::vector<QByteArray> replies(fds.size());
        std::vector<qint64> closedAfterMs(fds.size(), -1);
        Probe probe;
        QElapsedTimer timer;
        timer.start();
        const qint64 growth = underAttack(port, probe, [&] {
            while (timer.elapsed() < 6000) {
                for (size_t i = 0; i < fds.size(); ++i) {
                    if (closedAfterMs[i] >= 0)
                        continue;
                    if (sendSome(fds[i], "\r\n", 2) < 0 || !readFor(fds[i], replies[i], 0) ||
                        serverClosed(fds[i]))
                        closedAfterMs[i] = timer.elapsed();
                }
                QThread::msleep(300);
            }
        });
        QVERIFY(growth < kMaxGrowthMiB);
        const QString slow = judge(probe);
        QVERIFY2(slow.isEmpty(), qPrintable(slow));
        int turnedAway = 0;
        for (size_t i = 0; i < fds.size(); ++i) {
            QVERIFY2(closedAfterMs[i] >= 0, "a connection sending blank lines is still open");
            if (replies[i].startsWith("HTTP/1.1 429 ")) {
                ++turnedAway;
                QVERIFY(closedAfterMs[i] < 1500);
            } else {
                // Closed at the 2 s request deadline (blank lines start it, never reset it).
                QVERIFY2(closedAfterMs[i] >= 1500 && closedAfterMs[i] < 4000 * kSlowdown,
                         qPrintable(QString::number(closedAfterMs[i])));
            }
            ::close(fds[i]);
        }
        QCOMPARE(turnedAway, 80 - 64);
    }

    // The per-address cap counts open connections: a freed slot is usable again, and the
    // cap is a setting (0: none).
    void perAddressCap()
    {
        TestServer server([](Settings &s) { s.maxConnectionsPerIp = 3; });
        // Four at once: which one is accepted last depends on the listener threads.
        std::vector<int> fds;
        for (int i = 0; i < 4; ++i)
            fds.push_back(connectFrom(server.port(), "127.0.0.3"));
        std::vector<QByteArray> replies(fds.size());
        for (int i = 0; i < 10; ++i)
            for (size_t c = 0; c < fds.size(); ++c)
                readFor(fds[c], replies[c], 20);
        const auto refused = std::find_if(replies.begin(), replies.end(), [](const QByteArray &r) {
            return r.startsWith("HTTP/1.1 429 ");
        });
        QVERIFY2(refused != replies.end(), "no connection past the cap was turned away");
        QVERIFY(refused->contains(R"({"error":"Too many connections from your address"})"));
        const size_t turnedAway = size_t(refused - replies.begin());
        for (size_t c = 0; c < fds.size(); ++c)
            if (c != turnedAway)
                QVERIFY2(replies[c].isEmpty() && !serverClosed(fds[c]), replies[c].constData());
        ::close(fds[turnedAway]);
        fds.erase(fds.begin() + qsizetype(turnedAway));
        Probe probe; // another address is not affected
        probeHealth(server.port(), probe);
        QCOMPARE(probe.failures, 0);
        ::close(fds.back());
        fds.pop_back();
        QThread::msleep(200);
        const int again = connectFrom(server.port(), "127.0.0.3");
        const QByteArray request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        QCOMPARE(::send(again, request.constData(), size_t(request.size()), MSG_NOSIGNAL),
                 request.size());
        QByteArray reply;
        for (int i = 0; i < 20 && !reply.contains("\r\n\r\n"); ++i)
            readFor(again, reply, 100);
        QVERIFY2(reply.startsWith("HTTP/1.1 200 "), reply.constData());
        ::close(again);
        for (int fd : fds)
            ::close(fd);

        TestServer unlimited([](Settings &s) { s.maxConnectionsPerIp = 0; });
        std::vector<int> many;
        for (int i = 0; i < 80; ++i)
            many.push_back(connectFrom(unlimited.port(), "127.0.0.3"));
        QThread::msleep(200);
        for (int fd : many) {
            QVERIFY(!serverClosed(fd));
            ::close(fd);
        }
    }

    // Row 3: the server stops (as on SIGTERM or the console's Stop) with keep-alive
    // connections, unread pipelined answers, half-sent requests and password logins on
    // the worker pool. Before the fix connections outlived their listener's state.
    void stopWithEverythingInFlight()
    {
        for (int round = 0; round < 6; ++round) {
            auto server = std::make_unique<TestServer>();
            const quint16 port = server->port();
            std::vector<int> fds;
            const auto open = [&](const QByteArray &bytes) {
                const int fd = connectFrom(port);
                QVERIFY(fd >= 0);
                QCOMPARE(::send(fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL),
                         bytes.size());
                fds.push_back(fd);
            };
            const QByteArray login = R"({"email":"admin","password":"admin"})";
            const QByteArray loginRequest =
                "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: " +
                QByteArray::number(login.size()) + "\r\n\r\n" + login;
            open("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");               // kept alive
            open(repeat("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 2000)); // never read
            open("POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"); // half
            for (int i = 0; i < 4; ++i)
                open(repeat(loginRequest, 3)); // argon2id on the pool
            QThread::msleep(round * 40);       // stop at different points of the work
            server.reset();
            for (int fd : fds)
                ::close(fd);
        }
    }
};

QTEST_GUILESS_MAIN(HostileTest)
#include "tst_hostile.moc"
