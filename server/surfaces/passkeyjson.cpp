// SPDX-License-Identifier: GPL-3.0-or-later
#include "surfaces/passkeyjson.h"

#include "crypto/base64url.h"
#include "refusal.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxCredentialId = 1023; // bytes (WebAuthn L2 §5.8.3 credential id)
constexpr int kMaxField = 64 * 1024;   // base64url characters of any other byte field

[[noreturn]] void invalid(const QString &field, const QString &problem)
{
    throw Refusal(Refusal::Kind::InvalidInput, u"field '%1' %2"_s.arg(field, problem));
}

QJsonObject object(const QJsonObject &in, const QString &key, const QString &path)
{
    const QJsonValue v = in.value(key);
    if (!v.isObject())
        invalid(path, v.isUndefined() ? u"is required"_s : u"must be an object"_s);
    return v.toObject();
}

// A base64url byte field; `optional` ones may be absent or null (then empty).
QByteArray bytes(const QJsonObject &in, const QString &key, const QString &path,
                 bool optional = false, int maxBytes = kMaxField)
{
    const QJsonValue v = in.value(key);
    if (optional && (v.isUndefined() || v.isNull()))
        return {};
    if (!v.isString())
        invalid(path, v.isUndefined() ? u"is required"_s : u"must be a base64url string"_s);
    const QString text = v.toString();
    if (text.size() > kMaxField)
        invalid(path, u"is too long"_s);
    const auto raw = Base64Url::decode(text.toLatin1());
    if (!raw || (!optional && raw->isEmpty()))
        invalid(path, u"must be unpadded base64url"_s);
    if (raw->size() > maxBytes)
        invalid(path, u"is too long"_s);
    return *raw;
}

// The parts both ceremonies share: type "public-key", id == rawId, and `response`.
QJsonObject credential(const QJsonObject &body, const QString &field, QByteArray *rawId)
{
    const QJsonObject c = object(body, field, field);
    if (c.value(u"type"_s).toString() != u"public-key")
        invalid(field + u".type"_s, u"must be \"public-key\""_s);
    *rawId = bytes(c, u"rawId"_s, field + u".rawId"_s, false, kMaxCredentialId);
    if (c.value(u"id"_s).toString().toLatin1() != Base64Url::encode(*rawId))
        invalid(field + u".id"_s, u"must be rawId"_s);
    return object(c, u"response"_s, field + u".response"_s);
}

} // namespace

namespace PasskeyJson {

WebAuthn::RegistrationResponse registration(const QJsonObject &body, const QString &field,
                                            QStringList *transports)
{
    QByteArray rawId;
    const QJsonObject r = credential(body, field, &rawId);
    const QString at = field + u".response."_s;
    WebAuthn::RegistrationResponse out{
        bytes(r, u"clientDataJSON"_s, at + u"clientDataJSON"_s),
        bytes(r, u"attestationObject"_s, at + u"attestationObject"_s)};
    static const QStringList known{u"usb"_s,    u"nfc"_s,      u"ble"_s,
                                   u"hybrid"_s, u"internal"_s, u"smart-card"_s};
    for (const QJsonValue &t : r.value(u"transports"_s).toArray())
        if (known.contains(t.toString()) && !transports->contains(t.toString()))
            transports->append(t.toString());
    return out;
}

WebAuthn::AssertionResponse assertion(const QJsonObject &body, const QString &field)
{
    WebAuthn::AssertionResponse out;
    const QJsonObject r = credential(body, field, &out.credentialId);
    const QString at = field + u".response."_s;
    out.clientDataJson = bytes(r, u"clientDataJSON"_s, at + u"clientDataJSON"_s);
    out.authenticatorData = bytes(r, u"authenticatorData"_s, at + u"authenticatorData"_s);
    out.signature = bytes(r, u"signature"_s, at + u"signature"_s);
    out.userHandle = bytes(r, u"userHandle"_s, at + u"userHandle"_s, true, 64);
    return out;
}

QJsonObject describe(const Passkey &p)
{
    return {
        {u"id"_s, p.credentialId},
        {u"label"_s, p.label},
        {u"alg"_s, p.alg},
        {u"transports"_s, QJsonArray::fromStringList(p.transports.split(u',', Qt::SkipEmptyParts))},
        {u"aaguid"_s, p.aaguid},
        {u"backup_eligible"_s, p.backupEligible},
        {u"backed_up"_s, p.backupState},
        {u"sign_count"_s, p.signCount},
        {u"created_at"_s, p.createdAt},
        {u"last_used_at"_s, p.lastUsedAt == 0 ? QJsonValue() : QJsonValue(p.lastUsedAt)}};
}

} // namespace PasskeyJson
