// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/random.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace Random {

QByteArray bytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1) {
        std::fputs("gatehouse: the system random generator failed\n", stderr);
        std::abort();
    }
    return out;
}

quint32 uniform(quint32 upperBound)
{
    if (upperBound < 2)
        return 0;
    // Rejection sampling: drop values from the incomplete last block.
    const quint32 limit = quint32(0xFFFFFFFFu - (0xFFFFFFFFu % upperBound) - 1u);
    for (;;) {
        const QByteArray raw = bytes(4);
        quint32 v = 0;
        memcpy(&v, raw.constData(), 4);
        if (v <= limit)
            return v % upperBound;
    }
}

QString digits(int count)
{
    QString out;
    out.reserve(count);
    for (int i = 0; i < count; ++i)
        out.append(QChar(u'0' + uniform(10)));
    return out;
}

QString urlToken(int byteCount)
{
    return QString::fromLatin1(
        bytes(byteCount).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace Random
