// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/secrets.h"
#include "config/settings.h"
#include "fakeclock.h"
#include "httpclient.h"

#include <QTemporaryDir>
#include <functional>
#include <memory>

class HttpServer;
class Services;

// The real server, in-process, on a free loopback port, over a fresh SQLite database
// in a temporary folder, with a fake clock and known secrets. Each test function can
// build its own.
class TestServer
{
public:
    static constexpr const char *kCliApiToken = "test-cli-secret";
    static constexpr const char *kBotToken = "123456:TEST-bot-token";
    static constexpr const char *kMetricsToken = "test-metrics-token";

    // `configure` may change settings before the services are built.
    explicit TestServer(const std::function<void(Settings &)> &configure = {},
                        bool withBotToken = true);
    ~TestServer();

    Services &services() { return *m_services; }
    FakeClock &clock() { return m_clock; }
    Secrets &secrets() { return m_secrets; }
    quint16 port() const { return m_port; }
    HttpClient client() const { return HttpClient(m_port); }
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    FakeClock m_clock;
    Secrets m_secrets;
    std::unique_ptr<Services> m_services;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
};
