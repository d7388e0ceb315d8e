// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"

#include <QJsonObject>
#include <QString>
#include <exception>
#include <optional>

// The shape a surface's documents give their error bodies.
enum class ErrorShape {
    Error,       // {"error": "..."}            namespace, wallet, device
    Message,     // {"message": "..."}          pin
    ErrorDetail, // {"error": "...", "detail": "..."}   account
    OAuth,       // {"error": "invalid_grant", "error_description": "..."}   OpenID provider
};

// What a handler throws to refuse a request. One place (errorResponse) turns it into
// a status and a body in the surface's shape.
struct ApiError : std::exception
{
    ApiError(int status, QString message, QString detail = QString())
        : status(status), message(std::move(message)), detail(std::move(detail))
    {}
    const char *what() const noexcept override { return "ApiError"; }

    ApiError &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
        return *this;
    }
    ApiError &withBody(QJsonObject replacement)
    {
        body = std::move(replacement);
        return *this;
    }

    int status;
    QString message;
    QString detail;
    std::optional<QJsonObject> body; // replaces the shaped body (e.g. {"retryAfter": n})
    QList<std::pair<QByteArray, QByteArray>> headers;
};

Response errorResponse(ErrorShape shape, const ApiError &error);
