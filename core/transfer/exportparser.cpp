// SPDX-License-Identifier: GPL-3.0-or-later
// Transfer::parseJson: every field checked, and duplicates refused, before the importer
// touches the database.
#include "identity/namespaces.h"
#include "identity/pinroles.h"
#include "identity/users.h"
#include "jsonnumber.h"
#include "transfer/exportjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

struct ParseError
{
    QString message;
};

[[noreturn]] void fail(const QString &path, const QString &what)
{
    throw ParseError{path + u": "_s + what};
}

// One JSON object at `path`, read field by field; fields it does not know are refused
// (a misspelt "passwordHash" must not silently import a user without one).
class Fields
{
public:
    Fields(const QJsonValue &value, QString path, const QStringList &known)
        : m_object(value.toObject()), m_path(std::move(path))
    {
        if (!value.isObject())
            fail(m_path, u"expected an object"_s);
        for (auto it = m_object.begin(); it != m_object.end(); ++it)
            if (!known.contains(it.key()))
                fail(at(it.key()), u"unknown field"_s);
    }
    QString at(const QString &key) const { return m_path + u'.' + key; }
    bool has(const QString &key) const { return m_object.contains(key); }

    QString text(const QString &key, bool required = false) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(at(key), u"missing"_s);
            return u""_s; // not a null QString: that would bind as SQL NULL
        }
        if (!v.isString())
            fail(at(key), u"expected a string"_s);
        if (required && v.toString().isEmpty())
            fail(at(key), u"must not be empty"_s);
        const QString text = v.toString();
        return text.isNull() ? u""_s : text;
    }
    bool flag(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return false;
        if (!v.isBool())
            fail(at(key), u"expected true or false"_s);
        return v.toBool();
    }
    qint64 number(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return 0;
        const auto n = jsonInteger(v);
        if (!n || double(*n) != v.toDouble())
            fail(at(key), u"expected a whole number"_s);
        return *n;
    }
    QJsonArray array(const QString &key) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined())
            return {};
        if (!v.isArray())
            fail(at(key), u"expected an array"_s);
        return v.toArray();
    }

private:
    QJsonObject m_object;
    QString m_path;
};

QString indexed(const QString &path, qsizetype i)
{
    return u"%1[%2]"_s.arg(path).arg(i);
}

// Refuses a second entry with the same key, naming where it repeats.
void unique(QSet<QString> &seen, const QString &key, const QString &path, const QString &what)
{
    if (seen.contains(key))
        fail(path, u"%1 '%2' appears twice"_s.arg(what, key));
    seen.insert(key);
}

QString hashField(const Fields &f, const QString &key, bool sensitive)
{
    const QString hash = f.text(key);
    if (!hash.isEmpty() && !sensitive)
        fail(f.at(key), u"a hash in a file not marked \"sensitive\": true"_s);
    if (!hash.isEmpty() && !hash.startsWith(u"$argon2id$"))
        fail(f.at(key), u"not an argon2id hash"_s);
    return hash;
}

struct Seen
{
    QSet<QString> users, usernames, emails, identities, wallets;
};

Identity parseIdentity(const QJsonValue &v, const QString &path, Seen &seen)
{
    const Fields f(v, path, {u"kind"_s, u"subject"_s, u"display"_s, u"created_at"_s});
    Identity i{f.text(u"kind"_s, true), f.text(u"subject"_s, true), f.text(u"display"_s),
               f.number(u"created_at"_s)};
    unique(seen.identities, i.kind + u':' + i.subject, path, u"identity"_s);
    return i;
}

Wallet parseWallet(const QJsonValue &v, const QString &path, bool sensitive, Seen &seen)
{
    const Fields f(
        v, path,
        {u"id"_s, u"network"_s, u"address"_s, u"wallet_type"_s, u"sealed_key"_s, u"created_at"_s});
    Wallet w{f.text(u"id"_s, true),          f.text(u"network"_s, true), f.text(u"address"_s, true),
             f.text(u"wallet_type"_s, true), f.text(u"sealed_key"_s),    f.number(u"created_at"_s)};
    if (w.network != u"Solana" && w.network != u"Ethereum")
        fail(f.at(u"network"_s), u"expected Solana or Ethereum"_s);
    if (!w.sealedKey.isEmpty() && !sensitive)
        fail(f.at(u"sealed_key"_s), u"a sealed key in a file not marked \"sensitive\": true"_s);
    unique(seen.wallets, w.network + u':' + w.address, path, u"wallet"_s);
    return w;
}

User parseUser(const QJsonValue &v, const QString &path, bool sensitive, Seen &seen)
{
    const Fields f(v, path,
                   {u"id"_s, u"username"_s, u"email"_s, u"display_name"_s, u"role"_s, u"is_admin"_s,
                    u"email_verified"_s, u"disabled"_s, u"referrer_id"_s, u"password_hash"_s,
                    u"pin_hash"_s, u"created_at"_s, u"identities"_s, u"wallets"_s, u"tier"_s});
    User u;
    u.id = f.text(u"id"_s, true);
    u.username = f.text(u"username"_s).toLower();
    u.email = f.text(u"email"_s).toLower();
    u.displayName = f.text(u"display_name"_s);
    u.role = f.text(u"role"_s, true);
    u.isAdmin = f.flag(u"is_admin"_s);
    u.emailVerified = f.flag(u"email_verified"_s);
    u.disabled = f.flag(u"disabled"_s);
    u.referrerId = f.text(u"referrer_id"_s);
    u.tier = f.has(u"tier"_s) ? int(f.number(u"tier"_s)) : -1;
    if (u.tier < -1 || u.tier > 2)
        fail(f.at(u"tier"_s), u"expected 0, 1 or 2"_s);
    u.passwordHash = hashField(f, u"password_hash"_s, sensitive);
    u.pinHash = hashField(f, u"pin_hash"_s, sensitive);
    u.createdAt = f.number(u"created_at"_s);
    if (!u.username.isEmpty() && !::Users::isValidUsername(u.username))
        fail(f.at(u"username"_s), u"not a valid username"_s);
    if (!u.email.isEmpty() && !::Users::isValidEmail(u.email))
        fail(f.at(u"email"_s), u"not a valid email"_s);
    unique(seen.users, u.id, f.at(u"id"_s), u"user id"_s);
    if (!u.username.isEmpty())
        unique(seen.usernames, u.username, f.at(u"username"_s), u"username"_s);
    if (!u.email.isEmpty())
        unique(seen.emails, u.email, f.at(u"email"_s), u"email"_s);
    const QJsonArray identities = f.array(u"identities"_s);
    for (qsizetype i = 0; i < identities.size(); ++i)
        u.identities << parseIdentity(identities[i], indexed(f.at(u"identities"_s), i), seen);
    const QJsonArray wallets = f.array(u"wallets"_s);
    for (qsizetype i = 0; i < wallets.size(); ++i)
        u.wallets << parseWallet(wallets[i], indexed(f.at(u"wallets"_s), i), sensitive, seen);
    return u;
}

Namespace parseNamespace(const QJsonValue &v, const QString &path, QSet<QString> &seen)
{
    const Fields f(v, path, {u"name"_s, u"disabled"_s, u"created_by"_s, u"created_at"_s});
    Namespace n{f.text(u"name"_s, true), f.flag(u"disabled"_s), f.text(u"created_by"_s),
                f.number(u"created_at"_s)};
    if (!::Namespaces::isValidName(n.name))
        fail(f.at(u"name"_s), u"not a valid namespace name"_s);
    unique(seen, n.name, f.at(u"name"_s), u"namespace"_s);
    return n;
}

PinRole parseRole(const QJsonValue &v, const QString &path, QSet<QString> &seen)
{
    const Fields f(v, path, {u"name"_s, u"permissions"_s, u"created_at"_s});
    PinRole r{f.text(u"name"_s, true).toLower(), {}, f.number(u"created_at"_s)};
    if (!::PinRoles::isValidName(r.name))
        fail(f.at(u"name"_s), u"not a valid role name"_s);
    unique(seen, r.name, f.at(u"name"_s), u"role"_s);
    const QJsonArray permissions = f.array(u"permissions"_s);
    for (qsizetype i = 0; i < permissions.size(); ++i) {
        if (!permissions[i].isString() || permissions[i].toString().isEmpty())
            fail(indexed(f.at(u"permissions"_s), i), u"expected a permission name"_s);
        r.permissions << permissions[i].toString();
    }
    r.permissions.removeDuplicates();
    r.permissions.sort();
    return r;
}

TelegramBinding parseBinding(const QJsonValue &v, const QString &path, QSet<QString> &seen)
{
    const Fields f(v, path,
                   {u"telegram_user_id"_s, u"namespace"_s, u"username"_s, u"first_name"_s,
                    u"last_name"_s, u"bound_at"_s});
    TelegramBinding b{f.text(u"telegram_user_id"_s, true),
                      f.text(u"namespace"_s, true),
                      f.text(u"username"_s),
                      f.text(u"first_name"_s),
                      f.text(u"last_name"_s),
                      f.number(u"bound_at"_s)};
    static const QRegularExpression digits(u"^[0-9]{1,20}$"_s);
    if (!digits.match(b.telegramUserId).hasMatch())
        fail(f.at(u"telegram_user_id"_s), u"expected a Telegram user id (digits)"_s);
    unique(seen, b.telegramUserId, f.at(u"telegram_user_id"_s), u"Telegram user"_s);
    return b;
}

Document parseDocument(const QJsonValue &root)
{
    const Fields f(root, u"$"_s,
                   {u"format"_s, u"version"_s, u"schema_version"_s, u"exported_at"_s,
                    u"sensitive"_s, u"namespaces"_s, u"pin_roles"_s, u"users"_s,
                    u"telegram_bindings"_s});
    if (f.text(u"format"_s, true) != QString::fromUtf16(kFormatName))
        fail(f.at(u"format"_s), u"not a Gatehouse export (expected \"gatehouse-export\")"_s);
    if (!f.has(u"version"_s))
        fail(f.at(u"version"_s), u"missing"_s);
    if (const qint64 version = f.number(u"version"_s); version != kFormatVersion)
        fail(f.at(u"version"_s),
             u"format version %1; this Gatehouse reads version %2"_s.arg(version).arg(
                 kFormatVersion));
    Document doc;
    doc.schemaVersion = int(f.number(u"schema_version"_s));
    doc.exportedAt = f.number(u"exported_at"_s);
    doc.sensitive = f.flag(u"sensitive"_s);
    QSet<QString> names, roles, bindings;
    const QJsonArray namespaces = f.array(u"namespaces"_s);
    for (qsizetype i = 0; i < namespaces.size(); ++i)
        doc.namespaces << parseNamespace(namespaces[i], indexed(u"namespaces"_s, i), names);
    const QJsonArray pinRoles = f.array(u"pin_roles"_s);
    for (qsizetype i = 0; i < pinRoles.size(); ++i)
        doc.pinRoles << parseRole(pinRoles[i], indexed(u"pin_roles"_s, i), roles);
    Seen seen;
    const QJsonArray users = f.array(u"users"_s);
    for (qsizetype i = 0; i < users.size(); ++i)
        doc.users << parseUser(users[i], indexed(u"users"_s, i), doc.sensitive, seen);
    const QJsonArray telegram = f.array(u"telegram_bindings"_s);
    for (qsizetype i = 0; i < telegram.size(); ++i)
        doc.telegramBindings << parseBinding(telegram[i], indexed(u"telegram_bindings"_s, i),
                                             bindings);
    return doc;
}

} // namespace

Result<Document> parseJson(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return Result<Document>::failure(
            Refusal::Kind::InvalidInput,
            u"not valid JSON at byte %1: %2"_s.arg(error.offset).arg(error.errorString()));
    try {
        return parseDocument(json.isObject() ? QJsonValue(json.object()) : QJsonValue());
    } catch (const ParseError &e) {
        return Result<Document>::failure(Refusal::Kind::InvalidInput, e.message);
    }
}

} // namespace Transfer
