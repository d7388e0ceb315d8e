// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>

struct cbor_item_t;

// One decoded CBOR item (RFC 8949), held through libcbor's reference count: copies share
// the item, the last one frees it. Built only by parse(), which first walks the encoding
// itself and refuses what WebAuthn never sends and what could make libcbor allocate far
// more than the input (indefinite lengths, counts larger than the bytes left, more than
// kMaxDepth levels, reserved bytes, duplicate map keys), then lets libcbor decode it.
class CborItem
{
public:
    static constexpr int kMaxDepth = 16;

    // The first item of `bytes`. With `consumed` null the item must be all of `bytes`
    // (trailing bytes are refused); otherwise `*consumed` is set to its length.
    [[nodiscard]] static Result<CborItem> parse(QByteArrayView bytes,
                                                qsizetype *consumed = nullptr);

    CborItem(const CborItem &other);
    CborItem &operator=(const CborItem &other);
    CborItem(CborItem &&other) noexcept;
    CborItem &operator=(CborItem &&other) noexcept;
    ~CborItem();

    bool isMap() const;
    bool isArray() const;
    // Pairs of a map, elements of an array; 0 for anything else.
    qsizetype size() const;
    // A major type 0 or 1 integer that fits in qint64.
    [[nodiscard]] std::optional<qint64> integer() const;
    [[nodiscard]] std::optional<QByteArray> bytes() const;
    // Major type 3, valid UTF-8.
    [[nodiscard]] std::optional<QString> text() const;
    // Map lookups; nullopt when this is not a map or the key is not there.
    [[nodiscard]] std::optional<CborItem> value(qint64 key) const;
    [[nodiscard]] std::optional<CborItem> value(QStringView key) const;

private:
    explicit CborItem(cbor_item_t *adopted) : m_item(adopted) {}
    cbor_item_t *m_item = nullptr;
};
