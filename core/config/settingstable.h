// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <variant>

struct Settings;
struct OAuthProviderSettings;

// The one list of everything Gatehouse can be configured with (KeePassXC's Config.cpp
// directive table is the model). The loader, the saver, the console's fields, the
// restart notice and the docs' reference table all read it; a setting added here is
// loaded, saved and documented (tst_settingstable fails until docs/configuration.md
// lists it).
enum class SettingType {
    Text,
    Integer, // whole number in [min, max]
    Boolean, // true/false (also 1/0, yes/no, on/off)
    List,    // comma-separated
    Choice,  // one of `choices`
    Address, // HOST:PORT (the listen address)
};

// Whether a change takes effect while Gatehouse runs. Settings are read once at start;
// a reload (SIGHUP on `gatehouse serve`) re-reads the config file and applies the AtReload
// rows; secrets are read on every use, so the console can replace one at run time.
enum class Applies { AtRestart, AtReload, AtOnce };

// Where a row's value lives in memory: a Settings member, a member of each OAuth
// provider's settings ([oauth.NAME] rows), or nowhere (secrets: the SecretStore).
using SettingField =
    std::variant<std::monostate, QString Settings::*, int Settings::*, qint64 Settings::*,
                 bool Settings::*, QStringList Settings::*, QString OAuthProviderSettings::*>;

struct SettingSpec
{
    QString key; // unique; the config-file key (section/name) when inFile, the
                 // SecretStore name for a secret
    SettingType type = SettingType::Text;
    QString defaultText; // as written in the file; parsed into Settings' defaults
    qint64 min = 0;      // Integer
    qint64 max = 0;
    QStringList choices; // Choice
    QString env;         // environment variable; <NAME> in a per-provider row
    QString option;      // command-line option (--listen)
    bool inFile = true;  // read from and written to the config file
    bool secret = false; // kept in the SecretStore, never in the file
    bool shared = false; // a secret every instance on one database must hold the same of
    Applies applies = Applies::AtRestart;
    const char *group = nullptr; // what the console's restart notice calls it
                                 // (translated in the "Settings" context)
    QString description;         // one line, for the docs and the console's tooltips
    SettingField field;

    // A row of each OAuth provider ([oauth.NAME] keys, GATEHOUSE_OAUTH_<NAME>_* variables):
    // NAME and <NAME> stand for the provider's name.
    bool perProvider() const { return key.contains(u"NAME"); }
    // "a whole number from 1 to 100", "auto, keychain or file", …: for errors and docs.
    QString allowedText() const;
};

struct SettingValue
{
    QVariant value;
    QString error; // names the setting: "setting server/threads (threads) must be …"
};

const QList<SettingSpec> &settingsTable();
// The row with this key, or nullptr.
const SettingSpec *findSetting(QStringView key);
// The secrets (rows with secret set), in the order they are loaded.
QList<const SettingSpec *> secretSettings();

// Parses `text` as `spec`'s type and checks its range. `source` names where it came
// from in an error: the key for the file, the variable for the environment.
SettingValue parseSettingText(const SettingSpec &spec, const QString &text, const QString &source);
// Reads and writes the Settings member a row names (Address rows: listen host and port).
QVariant settingValue(const Settings &settings, const SettingSpec &spec);
void setSettingValue(Settings &settings, const SettingSpec &spec, const QVariant &value);
// The same for one OAuth provider's row.
QString providerValue(const OAuthProviderSettings &provider, const SettingSpec &spec);
void setProviderValue(OAuthProviderSettings &provider, const SettingSpec &spec,
                      const QString &value);
// The settings' defaults: every row's defaultText (what `Settings{}` starts from).
void applySettingDefaults(Settings &settings);
