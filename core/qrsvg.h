// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// A QR code (libqrencode, error correction level M) drawn as an SVG image: what a page
// or a client shows for an authenticator app to scan (an otpauth:// URI). Empty when the
// text does not fit in a QR code.
namespace QrSvg {
[[nodiscard]] QString svg(const QString &text);
// The same image as a data: URI (image/svg+xml, base64), for an <img src>.
[[nodiscard]] QString dataUri(const QString &text);
} // namespace QrSvg
