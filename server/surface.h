// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class Router;

// One API surface: its route table, added to the router when the surface is on.
class Surface
{
public:
    virtual ~Surface() = default;
    virtual void addRoutes(Router &router) = 0;
};
