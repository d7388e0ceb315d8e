// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "surface.h"

#include <memory>

class DeviceAccountApi;
class DeviceApi;
class PinApi;
class Services;

// The pin (seed 002) and device (seed 003) surfaces both document POST /auth/login.
// This surface holds whichever of the two are switched on, adds their route tables,
// and registers the one shared route: a body with `pin` goes to pin, a body with
// `username` to device, anything else is 400 {"error": "...", "message": "..."} (both
// surfaces' error keys, since the caller's surface is unknown).
class AuthLoginApi : public Surface
{
public:
    explicit AuthLoginApi(Services &services);
    ~AuthLoginApi() override;
    void addRoutes(Router &router) override;

private:
    Response login(const Request &request);

    Services &m_services;
    std::unique_ptr<PinApi> m_pin;
    std::unique_ptr<DeviceApi> m_device;
    std::unique_ptr<DeviceAccountApi> m_deviceAccount;
};
