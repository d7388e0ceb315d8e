// SPDX-License-Identifier: GPL-3.0-or-later
#include "testserver.h"

#include "httpserver.h"
#include "services.h"

#include <QProcessEnvironment>
#include <stdexcept>

using namespace Qt::StringLiterals;

TestServer::TestServer(const std::function<void(Settings &)> &configure, bool withBotToken)
    // The fake clock starts at the real time so Telegram data signed now is fresh.
    : m_clock(QDateTime::currentMSecsSinceEpoch())
{
    QProcessEnvironment env;
    env.insert(u"GATEHOUSE_SECRET_STORE"_s, u"file"_s);
    auto settings = loadSettings({m_dir.path(), u"127.0.0.1:0"_s, std::nullopt, std::nullopt}, env);
    if (!settings)
        throw std::runtime_error(settings.error().toStdString());
    Settings s = *settings;
    s.listenerThreads = 2;
    s.workerThreads = 2;
    if (configure)
        configure(s);

    m_secrets.set(SecretName::signingKey, QByteArray(32, 'k'));
    m_secrets.set(SecretName::walletSealKey, QByteArray(32, 'w'));
    m_secrets.set(SecretName::introspectionSecret, "introspection-secret");
    m_secrets.set(SecretName::cliApiToken, kCliApiToken);
    m_secrets.set(SecretName::metricsToken, kMetricsToken);
    if (withBotToken)
        m_secrets.set(SecretName::telegramBotToken, kBotToken);

    auto url = DatabaseUrl::parse(s.database);
    auto db = std::make_unique<Database>(*url);
    if (auto opened = db->open(); !opened)
        throw std::runtime_error(opened.error().toStdString());
    m_services = std::make_unique<Services>(s, std::move(db), m_secrets, m_clock);
    m_server = std::make_unique<HttpServer>(*m_services);
    auto port = m_server->start();
    if (!port)
        throw std::runtime_error(port.error().toStdString());
    m_port = *port;
}

TestServer::~TestServer()
{
    m_server->stop();
    m_server.reset();
    m_services.reset();
}
