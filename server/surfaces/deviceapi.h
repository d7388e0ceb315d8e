// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/request.h"
#include "http/response.h"
#include "surface.h"

#include <QJsonObject>

class Services;
struct Refusal;

// Seed 003 (Navak style): POST /auth/registration, POST /auth/login {username, email,
// session_platform} (reached through AuthLoginApi, which shares the path with the pin
// surface), GET /auth/session/{auth_id}, and the page behind the emailed link,
// GET/POST /auth/approve. Errors are {"error": "..."}. The bearer routes for the
// account and its sessions are in DeviceAccountApi.
class DeviceApi : public Surface
{
public:
    explicit DeviceApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

    // POST /auth/login with a `username` field.
    Response login(const Request &request, const QJsonObject &body);

private:
    Response registration(const Request &request);
    Response session(const Request &request);
    Response approvePage(const Request &request);
    Response approveSubmit(const Request &request);
    Response asset(const Request &request);

    Services &m_services;
};

// The fields of an application/x-www-form-urlencoded body (the pages' forms).
QString formField(const Request &request, const QString &name);

// Seed 003's one refusal mapping (DeviceApi and DeviceAccountApi): {"error": message}.
ApiError deviceRefusal(const Refusal &refusal);
