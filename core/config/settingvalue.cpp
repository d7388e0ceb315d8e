// SPDX-License-Identifier: GPL-3.0-or-later
// Turning a settings table row's text into a value, and reading and writing the member
// a row names: the loader, the saver and the console all go through here.
#include "config/settings.h"
#include "config/settingstable.h"

using namespace Qt::StringLiterals;

namespace {

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts))
        if (const QString trimmed = item.trimmed(); !trimmed.isEmpty())
            out << trimmed;
    return out;
}

std::optional<bool> boolean(const QString &value)
{
    const QString text = value.trimmed().toLower();
    if (text == u"true" || text == u"1" || text == u"yes" || text == u"on")
        return true;
    if (text == u"false" || text == u"0" || text == u"no" || text == u"off")
        return false;
    return std::nullopt;
}

template <typename Member> Member member(const SettingSpec &spec)
{
    const Member *field = std::get_if<Member>(&spec.field);
    Q_ASSERT_X(field, "settings table", qPrintable(spec.key));
    return field ? *field : nullptr;
}

} // namespace

SettingValue parseSettingText(const SettingSpec &spec, const QString &text, const QString &source)
{
    const auto fail = [&] {
        // The key or variable, and a name in words too: "secret store", "threads".
        const QString what =
            spec.group ? u"%1 (%2)"_s.arg(source, QLatin1StringView(spec.group)) : source;
        return SettingValue{{}, u"%1 must be %2"_s.arg(what, spec.allowedText())};
    };
    switch (spec.type) {
    case SettingType::Text:
        return {text, {}};
    case SettingType::List:
        return {splitList(text), {}};
    case SettingType::Integer: {
        bool ok = false;
        const qint64 n = text.toLongLong(&ok);
        return ok && n >= spec.min && n <= spec.max ? SettingValue{n, {}} : fail();
    }
    case SettingType::Boolean:
        if (const auto b = boolean(text))
            return {*b, {}};
        return fail();
    case SettingType::Choice:
        return spec.choices.contains(text) ? SettingValue{text, {}} : fail();
    case SettingType::Address:
        if (auto listen = parseListenAddress(text); !listen)
            return {{}, listen.error()}; // it names the address and the expected form
        return {text, {}};
    }
    return fail();
}

QVariant settingValue(const Settings &s, const SettingSpec &spec)
{
    if (spec.type == SettingType::Address)
        return s.listenAddress();
    return std::visit(
        [&s](auto field) -> QVariant {
            using Field = decltype(field);
            if constexpr (std::is_same_v<Field, std::monostate> ||
                          std::is_same_v<Field, QString OAuthProviderSettings::*>)
                return {};
            else
                return QVariant::fromValue(s.*field);
        },
        spec.field);
}

void setSettingValue(Settings &s, const SettingSpec &spec, const QVariant &value)
{
    if (spec.type == SettingType::Address) {
        if (auto listen = parseListenAddress(value.toString()))
            std::tie(s.listenHost, s.listenPort) = *listen;
        return;
    }
    std::visit(
        [&s, &value](auto field) {
            using Field = decltype(field);
            if constexpr (std::is_same_v<Field, QString Settings::*>)
                s.*field = value.toString();
            else if constexpr (std::is_same_v<Field, int Settings::*>)
                s.*field = int(value.toLongLong());
            else if constexpr (std::is_same_v<Field, qint64 Settings::*>)
                s.*field = value.toLongLong();
            else if constexpr (std::is_same_v<Field, bool Settings::*>)
                s.*field = value.toBool();
            else if constexpr (std::is_same_v<Field, QStringList Settings::*>)
                s.*field = value.toStringList();
        },
        spec.field);
}

QString providerValue(const OAuthProviderSettings &p, const SettingSpec &spec)
{
    const auto field = member<QString OAuthProviderSettings::*>(spec);
    return field ? p.*field : QString();
}

void setProviderValue(OAuthProviderSettings &p, const SettingSpec &spec, const QString &value)
{
    if (const auto field = member<QString OAuthProviderSettings::*>(spec))
        p.*field = value;
}

void applySettingDefaults(Settings &s)
{
    for (const SettingSpec &spec : settingsTable())
        if (!spec.secret && !spec.perProvider())
            setSettingValue(s, spec, parseSettingText(spec, spec.defaultText, spec.key).value);
}
