// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/cbor.h"

#include <algorithm>
#include <cbor.h>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Walks one encoded item without building anything: the guard in front of libcbor, which
// would otherwise allocate whatever count a header claims before seeing the bytes.
class Scanner
{
public:
    explicit Scanner(QByteArrayView data) : m_data(data) {}
    qsizetype position() const { return m_pos; }

    bool item(int depth)
    {
        quint8 major = 0;
        quint8 info = 0;
        quint64 value = 0;
        if (depth > CborItem::kMaxDepth || !header(major, info, value))
            return false;
        const quint64 left = quint64(m_data.size() - m_pos);
        switch (major) {
        case 0: // unsigned
        case 1: // negative
            return true;
        case 2: // byte string
        case 3: // text string
            if (value > left)
                return false;
            m_pos += qsizetype(value);
            return true;
        case 4: // array: every element takes at least one byte
            if (value > left)
                return false;
            for (quint64 i = 0; i < value; ++i) {
                if (!item(depth + 1))
                    return false;
            }
            return true;
        case 5:
            return map(value, left, depth);
        case 6: // tag: one item follows
            return item(depth + 1);
        default: // simple values and floats; two-byte simple values below 32 are malformed
            return !(info == 24 && value < 32);
        }
    }

private:
    bool header(quint8 &major, quint8 &info, quint64 &value)
    {
        if (m_pos >= m_data.size())
            return false;
        const auto initial = quint8(m_data[m_pos++]);
        major = initial >> 5;
        info = initial & 0x1f;
        if (info < 24) {
            value = info;
            return true;
        }
        if (info > 27) // 28..30 reserved, 31 indefinite length (never in CTAP2 encoding)
            return false;
        const qsizetype width = qsizetype(1) << (info - 24);
        if (m_data.size() - m_pos < width)
            return false;
        value = 0;
        for (qsizetype i = 0; i < width; ++i)
            value = (value << 8) | quint8(m_data[m_pos++]);
        return true;
    }

    // Keys are compared as encoded bytes: CTAP2's canonical encoding gives one encoding
    // per value, and a map with a key twice could mean two different things to two readers.
    bool map(quint64 count, quint64 left, int depth)
    {
        if (count > left / 2)
            return false;
        std::vector<std::string_view> keys;
        keys.reserve(size_t(count));
        for (quint64 i = 0; i < count; ++i) {
            const qsizetype start = m_pos;
            if (!item(depth + 1))
                return false;
            keys.emplace_back(m_data.data() + start, size_t(m_pos - start));
            if (!item(depth + 1))
                return false;
        }
        std::sort(keys.begin(), keys.end());
        return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
    }

    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

} // namespace

Result<CborItem> CborItem::parse(QByteArrayView bytes, qsizetype *consumed)
{
    Scanner scanner(bytes);
    if (!scanner.item(0))
        return Refusal(Refusal::Kind::InvalidInput, u"malformed CBOR"_s,
                       u"not well-formed, indefinite-length, nested too deep or with a "
                       u"repeated map key"_s);
    const qsizetype length = scanner.position();
    if (!consumed && length != bytes.size())
        return Refusal(Refusal::Kind::InvalidInput, u"malformed CBOR"_s,
                       u"%1 bytes after the end of the item"_s.arg(bytes.size() - length));
    cbor_load_result result{};
    cbor_item_t *item =
        cbor_load(reinterpret_cast<cbor_data>(bytes.data()), size_t(length), &result);
    if (!item || result.error.code != CBOR_ERR_NONE || result.read != size_t(length)) {
        if (item)
            cbor_decref(&item);
        return Refusal(Refusal::Kind::InvalidInput, u"malformed CBOR"_s,
                       u"the CBOR decoder refused it"_s);
    }
    if (consumed)
        *consumed = length;
    return CborItem(item);
}

CborItem::CborItem(const CborItem &other)
    : m_item(other.m_item ? cbor_incref(other.m_item) : nullptr)
{}

CborItem &CborItem::operator=(const CborItem &other)
{
    if (this != &other) {
        CborItem copy(other);
        std::swap(m_item, copy.m_item);
    }
    return *this;
}

CborItem::CborItem(CborItem &&other) noexcept : m_item(std::exchange(other.m_item, nullptr)) {}

CborItem &CborItem::operator=(CborItem &&other) noexcept
{
    std::swap(m_item, other.m_item);
    return *this;
}

CborItem::~CborItem()
{
    if (m_item)
        cbor_decref(&m_item);
}

bool CborItem::isMap() const
{
    return m_item && cbor_isa_map(m_item);
}

bool CborItem::isArray() const
{
    return m_item && cbor_isa_array(m_item);
}

qsizetype CborItem::size() const
{
    if (isMap())
        return qsizetype(cbor_map_size(m_item));
    return isArray() ? qsizetype(cbor_array_size(m_item)) : 0;
}

std::optional<qint64> CborItem::integer() const
{
    if (!m_item || !(cbor_isa_uint(m_item) || cbor_isa_negint(m_item)))
        return std::nullopt;
    const quint64 raw = cbor_get_int(m_item);
    if (raw > quint64(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    return cbor_isa_uint(m_item) ? qint64(raw) : -1 - qint64(raw);
}

std::optional<QByteArray> CborItem::bytes() const
{
    if (!m_item || !cbor_isa_bytestring(m_item) || !cbor_bytestring_is_definite(m_item))
        return std::nullopt;
    return QByteArray(reinterpret_cast<const char *>(cbor_bytestring_handle(m_item)),
                      qsizetype(cbor_bytestring_length(m_item)));
}

std::optional<QString> CborItem::text() const
{
    if (!m_item || !cbor_isa_string(m_item) || !cbor_string_is_definite(m_item))
        return std::nullopt;
    const QByteArray utf8(reinterpret_cast<const char *>(cbor_string_handle(m_item)),
                          qsizetype(cbor_string_length(m_item)));
    QString decoded = QString::fromUtf8(utf8);
    if (decoded.toUtf8() != utf8) // invalid UTF-8 does not survive the round trip
        return std::nullopt;
    return decoded;
}

std::optional<CborItem> CborItem::value(qint64 key) const
{
    if (!isMap())
        return std::nullopt;
    const cbor_pair *pairs = cbor_map_handle(m_item);
    for (size_t i = 0; i < cbor_map_size(m_item); ++i) {
        const CborItem candidate(cbor_incref(pairs[i].key));
        if (candidate.integer() == key)
            return CborItem(cbor_incref(pairs[i].value));
    }
    return std::nullopt;
}

std::optional<CborItem> CborItem::value(QStringView key) const
{
    if (!isMap())
        return std::nullopt;
    const cbor_pair *pairs = cbor_map_handle(m_item);
    for (size_t i = 0; i < cbor_map_size(m_item); ++i) {
        const CborItem candidate(cbor_incref(pairs[i].key));
        if (candidate.text() == key)
            return CborItem(cbor_incref(pairs[i].value));
    }
    return std::nullopt;
}
