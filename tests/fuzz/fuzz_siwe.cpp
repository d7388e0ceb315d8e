// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-In with Ethereum / Solana. Gatehouse never parses a SIWE/SIWS message a client
// sends: it builds the message (WalletChallenges::buildMessage), stores its SHA-256, and
// later looks the client's copy up by that hash. What it does parse from the client is
// the wallet address and the signature, so this target fuzzes those, and checks the
// message it builds against an independent EIP-4361 line reader. Byte 0 chooses:
// - text: the rest as an address / signature. isValid and checksummed agree (EIP-55 is
//   idempotent and case-insensitive), a parsed signature is the 65 bytes the hex says,
//   a recovered signer is a valid checksummed address, a Solana address is base58 of
//   32 bytes.
// - keys: a secp256k1 and an ed25519 key from the input's SHA-256; personal_sign over
//   the input recovers the key's address, ed25519 verifies, and a changed message or
//   signature (position and value from the input) does not.
// - message: an address and nonce from the input go into buildMessage; the EIP-4361
//   reader finds exactly those fields, and the message has the fixed line count.
#include "crypto/base58.h"
#include "crypto/ed25519.h"
#include "crypto/ethaddress.h"
#include "crypto/secp256k1.h"
#include "fuzzsupport.h"
#include "identity/walletchallenges.h"
#include "identity/walletsignin.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace {

bool isHex(QStringView s)
{
    for (QChar c : s)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return false;
    return true;
}

void textMode(const QByteArray &rest)
{
    const QString text = QString::fromUtf8(rest);
    const QString sum = EthAddress::checksummed(text);
    const bool hexForm = text.size() == 42 && text.startsWith(u"0x") && isHex(text.sliced(2));
    FUZZ_CHECK(sum.isEmpty() != hexForm);
    if (!sum.isEmpty()) {
        FUZZ_CHECK(sum.toLower() == text.toLower());
        FUZZ_CHECK(EthAddress::checksummed(sum) == sum && EthAddress::isValid(sum));
        FUZZ_CHECK(EthAddress::isValid(text.toLower()) &&
                   EthAddress::isValid(u"0x"_s + text.sliced(2).toUpper()));
        FUZZ_CHECK(EthAddress::isValid(text) == (text == sum || text == text.toLower() ||
                                                 text == u"0x"_s + text.sliced(2).toUpper()));
    } else {
        FUZZ_CHECK(!EthAddress::isValid(text));
    }
    if (const auto sig = EthAddress::parseSignatureHex(text)) {
        FUZZ_CHECK(sig->size() == 65);
        const QString bare = text.startsWith(u"0x") ? text.sliced(2) : text;
        FUZZ_CHECK(QString::fromLatin1(sig->toHex()) == bare.toLower());
    }
    if (rest.size() >= 65) {
        const auto signer = EthAddress::recoverPersonal(rest.sliced(65), rest.first(65));
        if (signer)
            FUZZ_CHECK(EthAddress::isValid(*signer) && EthAddress::checksummed(*signer) == *signer);
    }
    if (WalletSignIn::isSolanaAddress(text)) {
        const auto raw = Base58::decode(text.toLatin1());
        FUZZ_CHECK(raw && raw->size() == 32 && text.size() >= 32 && text.size() <= 44);
    }
}

void keyMode(const QByteArray &rest, const uint8_t *data, size_t size)
{
    const QByteArray secret = QCryptographicHash::hash(rest, QCryptographicHash::Sha256);
    const Secp256k1::KeyPair pair = Secp256k1::fromSecret(secret);
    if (pair.publicKey.isEmpty())
        return; // not a valid secp256k1 secret (probability ~2^-128)
    const QString address = EthAddress::fromPublicKey(pair.publicKey);
    const QByteArray sig = EthAddress::signPersonal(secret, rest);
    FUZZ_CHECK(sig.size() == 65);
    FUZZ_CHECK(EthAddress::recoverPersonal(rest, sig) == address);
    FUZZ_CHECK(EthAddress::parseSignatureHex(u"0x"_s + QString::fromLatin1(sig.toHex())) == sig);
    const Ed25519::KeyPair ed = Ed25519::fromSeed(secret);
    const QByteArray edSig = Ed25519::sign(secret, rest);
    FUZZ_CHECK(Ed25519::verify(ed.publicKey, rest, edSig));
    const QString solana = QString::fromLatin1(Base58::encode(ed.publicKey));
    FUZZ_CHECK(WalletSignIn::isSolanaAddress(solana));
    if (size < 4)
        return;
    const unsigned at = (data[1] << 8) | data[2];
    QByteArray badSig = sig;
    badSig[at % 64] = char(badSig[at % 64] ^ (data[3] | 1)); // r or s, not v
    const auto other = EthAddress::recoverPersonal(rest, badSig);
    FUZZ_CHECK(!other || *other != address);
    QByteArray badEd = edSig;
    badEd[at % 64] = char(badEd[at % 64] ^ (data[3] | 1));
    FUZZ_CHECK(!Ed25519::verify(ed.publicKey, rest, badEd));
    if (!rest.isEmpty()) {
        QByteArray message = rest;
        message[at % message.size()] = char(message[at % message.size()] ^ (data[3] | 1));
        FUZZ_CHECK(EthAddress::recoverPersonal(message, sig) != address);
        FUZZ_CHECK(!Ed25519::verify(ed.publicKey, message, edSig));
    }
}

void messageMode(const QByteArray &rest, const uint8_t *data)
{
    const QList<QByteArray> items = rest.split('\0');
    const QString address = QString::fromUtf8(items[0]);
    const QString nonce = QString::fromLatin1(rest.toHex().left(32));
    // Only what the wallet endpoints let through reaches buildMessage.
    const bool solana = data[0] & 2;
    if (solana ? !WalletSignIn::isSolanaAddress(address) : !EthAddress::isValid(address))
        return;
    const QString url = u"https://auth.example.com"_s;
    const QString message = WalletChallenges::buildMessage(solana, url, address, nonce,
                                                           1'700'000'000'000, 1'700'000'300'000);
    const QStringList lines = message.split(u'\n');
    FUZZ_CHECK(lines.size() == 11);
    FUZZ_CHECK(lines[0] == u"auth.example.com wants you to sign in with your "_s +
                               (solana ? u"Solana"_s : u"Ethereum"_s) + u" account:"_s);
    FUZZ_CHECK(lines[1] == address && lines[2].isEmpty() && lines[4].isEmpty());
    FUZZ_CHECK(lines[5] == u"URI: "_s + url && lines[6] == u"Version: 1"_s);
    FUZZ_CHECK(lines[8] == u"Nonce: "_s + nonce);
    FUZZ_CHECK(lines[9] == u"Issued At: 2023-11-14T22:13:20.000Z"_s);
    FUZZ_CHECK(lines[10] == u"Expiration Time: 2023-11-14T22:18:20.000Z"_s);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 3) {
    case 0:
        textMode(rest);
        break;
    case 1:
        keyMode(rest, data, size);
        break;
    default:
        messageMode(rest, data);
        break;
    }
    return 0;
}
