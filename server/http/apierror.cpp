// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/apierror.h"

Response errorResponse(ErrorShape shape, const ApiError &error)
{
    QJsonObject body;
    if (error.body) {
        body = *error.body;
    } else if (shape == ErrorShape::Message) {
        body.insert(u"message"_qs, error.message);
    } else {
        body.insert(u"error"_qs, error.message);
        if (shape == ErrorShape::ErrorDetail)
            body.insert(u"detail"_qs, error.detail.isEmpty() ? error.message : error.detail);
    }
    Response response = Response::json(body, error.status);
    response.headers += error.headers;
    return response;
}
