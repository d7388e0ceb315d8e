// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/apierror.h"

using namespace Qt::StringLiterals;

Response errorResponse(ErrorShape shape, const ApiError &error)
{
    QJsonObject body;
    if (error.body) {
        body = *error.body;
    } else if (shape == ErrorShape::Message) {
        body.insert(u"message"_s, error.message);
    } else {
        body.insert(u"error"_s, error.message);
        if (shape == ErrorShape::ErrorDetail)
            body.insert(u"detail"_s, error.detail.isEmpty() ? error.message : error.detail);
        // RFC 6749 5.2: `error` is the code, `error_description` the human reason.
        if (shape == ErrorShape::OAuth && !error.detail.isEmpty())
            body.insert(u"error_description"_s, error.detail);
    }
    Response response = Response::json(body, error.status);
    response.headers += error.headers;
    return response;
}
