// SPDX-License-Identifier: GPL-3.0-or-later
// The console's Stop and Start buttons on the real HttpServer (the path the app's
// ServerControl takes), pressed while clients hold keep-alive connections, leave answers
// unread and wait for password logins hashing on the worker pool (issue 12, row 3:
// before the fix a stop with connections open used freed listener state).
#include "config/secretstore.h"
#include "httpserver.h"
#include "mainwindow.h"
#include "pages/overviewpage.h"
#include "servercontrol.h"
#include "testserver.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// What app/main.cpp adapts HttpServer to.
class RealServerControl : public ServerControl
{
public:
    explicit RealServerControl(Services &services) : m_server(services)
    {
        connect(&m_server, &HttpServer::started, this, &ServerControl::stateChanged);
        connect(&m_server, &HttpServer::stopped, this, &ServerControl::stateChanged);
    }
    Result<quint16> start() override { return m_server.start(); }
    void stop() override { m_server.stop(); }
    bool isRunning() const override { return m_server.isRunning(); }
    quint16 port() const override { return m_server.port(); }

private:
    HttpServer m_server;
};

// Connections that keep the server busy: one kept alive after an answer, one with
// pipelined answers it never reads, four with password logins (argon2id on the pool),
// one half-sent request.
std::vector<std::unique_ptr<QTcpSocket>> busyClients(quint16 port)
{
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    const auto open = [&](const QByteArray &bytes) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port);
        socket->waitForConnected(5000);
        socket->write(bytes);
        socket->waitForBytesWritten(5000);
        clients.push_back(std::move(socket));
    };
    open("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    clients.back()->waitForReadyRead(5000);
    QByteArray pipelined;
    for (int i = 0; i < 2000; ++i)
        pipelined += "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    open(pipelined);
    const QByteArray login = R"({"email":"admin","password":"admin"})";
    const QByteArray loginRequest =
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        QByteArray::number(login.size()) + "\r\n\r\n" + login;
    for (int i = 0; i < 4; ++i)
        open(loginRequest + loginRequest);
    open("POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 90\r\n\r\n{");
    return clients;
}

bool answersHealth(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return false;
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QByteArray reply;
    while (!reply.contains("\r\n\r\n") && socket.waitForReadyRead(2000))
        reply += socket.readAll();
    return reply.startsWith("HTTP/1.1 200 ");
}

} // namespace

class TstConsoleStop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stopAndStartWithClientsConnected()
    {
        TestServer base; // services, database and secrets; its own server is not used
        RealServerControl control(base.services());
        SecretStore secretStore(base.dataDir(), u"file"_s);
        MainWindow window(base.services(), control, secretStore);
        QVERIFY(control.start().ok());
        OverviewPage *page = window.overview();
        QPushButton *button = page->startStopButton();
        for (int round = 0; round < 5; ++round) {
            const quint16 port = control.port();
            QVERIFY(answersHealth(port));
            auto clients = busyClients(port);
            QTest::qWait(round * 50); // stop at different points of the work
            // "Stop serving?" — Yes.
            QTimer::singleShot(0, [] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                QVERIFY(box);
                box->button(QMessageBox::Yes)->click();
            });
            button->click();
            QVERIFY(!control.isRunning());
            QVERIFY(page->stateLabel()->text().contains(u"Stopped"));
            QVERIFY(!answersHealth(port));
            clients.clear();
            button->click(); // Start: no question
            QVERIFY(control.isRunning());
            QVERIFY(page->stateLabel()->text().contains(u"Serving"));
        }
        QVERIFY(answersHealth(control.port()));
        control.stop();
    }
};

QTEST_MAIN(TstConsoleStop)
#include "tst_consolestop.moc"
