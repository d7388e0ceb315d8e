// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"
#include "jsontext.h"

// A JSON answer with its keys in the order given (core/jsontext.h): a client comparing
// bytes sees exactly what its document shows.

inline Response orderedJson(const OrderedFields &fields, int status = 200)
{
    return Response::jsonBody(orderedJsonText(fields), status);
}
