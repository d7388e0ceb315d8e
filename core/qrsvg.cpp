// SPDX-License-Identifier: GPL-3.0-or-later
#include "qrsvg.h"

#include <qrencode.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace QrSvg {

namespace {
constexpr int kQuietZone = 4; // modules of white around the code, as the standard asks

struct FreeQrCode
{
    void operator()(QRcode *code) const { QRcode_free(code); }
};
} // namespace

QString svg(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::unique_ptr<QRcode, FreeQrCode> code(
        QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M));
    if (!code)
        return QString();
    const int width = code->width;
    const int size = width + 2 * kQuietZone;
    QString path;
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            if (code->data[y * width + x] & 1) // bit 0: a dark module
                path += u"M%1 %2h1v1h-1z"_s.arg(x + kQuietZone).arg(y + kQuietZone);
        }
    }
    return u"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %1 %1\" width=\"%2\" "
           u"height=\"%2\" shape-rendering=\"crispEdges\"><rect width=\"%1\" height=\"%1\" "
           u"fill=\"#fff\"/><path fill=\"#000\" d=\"%3\"/></svg>"_s.arg(size)
               .arg(size * 6)
               .arg(path);
}

QString dataUri(const QString &text)
{
    const QString image = svg(text);
    if (image.isEmpty())
        return QString();
    return u"data:image/svg+xml;base64,"_s + QString::fromLatin1(image.toUtf8().toBase64());
}

} // namespace QrSvg
