// SPDX-License-Identifier: GPL-3.0-or-later
// Regressions for what the fuzz targets (tests/fuzz) found, each input as the fuzzer
// reduced it: a bare CR in a chunk-size line, a form field whose name merely contains
// "filename", an alternative spelling of a JWS signature, a raw U+FEFF in a JSON key, and
// a request pipelined behind one that ends the connection.
#include "connection.h"
#include "crypto/jws.h"
#include "http/apierror.h"
#include "http/body.h"
#include "http/formdata.h"
#include "link.h"
#include "listenercontext.h"
#include "metrics.h"
#include "requestframer.h"
#include "router.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Feeds a chunked POST with `body`, then a GET; the framer's refusal status, or 0.
int frameChunked(const QByteArray &body)
{
    RequestFramer framer({});
    const QByteArray stream = "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body +
                              "GET /next HTTP/1.1\r\n\r\n";
    const RequestFramer::Verdict verdict = framer.feed(stream);
    if (verdict.rejectStatus == 0 && framer.arrived().size() != 2)
        return -1;
    return verdict.rejectStatus;
}

Request multipart(const QByteArray &disposition)
{
    Request request;
    request.headers.append(
        {QByteArray("content-type"), QByteArray("multipart/form-data; boundary=b")});
    request.body = "--b\r\nContent-Disposition: " + disposition + "\r\n\r\nvalue\r\n--b--\r\n";
    return request;
}

// A link that keeps what is sent.
class RecordingLink : public Link
{
public:
    explicit RecordingLink(QByteArray *sent) : m_sent(sent) {}
    QString peerIp() const override { return u"192.0.2.1"_s; }
    void send(QByteArrayView bytes) override { m_sent->append(bytes); }
    qint64 unsent() const override { return 0; }
    void setReading(bool) override {}
    void shutdownWrite() override {}
    void close() override {}

private:
    QByteArray *m_sent;
};

} // namespace

class TestFuzzFindings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chunkSizeLineWithBareCr()
    {
        // Read as "2" after trimming the CR, the next bytes became chunk data; a parser
        // that ends lines at a bare CR would read something else entirely.
        QCOMPARE(frameChunked("2\r\r\n\rd\r\n0\r\n\r\n"), 400);
        QCOMPARE(frameChunked("A;x\rname=val\r\n0123456789\r\n0\r\n\r\n"), 400);
        QCOMPARE(frameChunked("2;name=val\r\nab\r\n0\r\n\r\n"), 0);
        QCOMPARE(frameChunked("2 ;\tx=1\r\nab\r\n0\r\n\r\n"), 0);
    }

    void fieldNameContainingFilename()
    {
        const auto fields = FormData::parse(multipart("form-data; name=\"profilename\""));
        QCOMPARE(fields.value(u"profilename"_s), QByteArray("value"));
        QCOMPARE(FormData::parse(multipart("form-data; name=\"filename\"")).size(), 1);
        // A real file part, an empty file input included, is still refused.
        for (const QByteArray &d : {QByteArray("form-data; name=\"f\"; filename=\"a.txt\""),
                                    QByteArray("form-data; name=\"f\"; filename=\"\""),
                                    QByteArray("form-data; name=\"f\"; FileName*=UTF-8''a")}) {
            try {
                (void)FormData::parse(multipart(d));
                QFAIL(d.constData());
            } catch (const ApiError &e) {
                QCOMPARE(e.status, 400);
                QVERIFY(e.detail.contains(u"file upload"));
            }
        }
    }

    void jwsSignatureHasOneSpelling()
    {
        static const QByteArray alphabet =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (auto alg : {JwsSigner::Algorithm::ES256, JwsSigner::Algorithm::RS256}) {
            const JwsSigner signer = JwsSigner::generate(alg, u"k"_s);
            const QJsonObject jwks{{u"keys"_s, QJsonArray{signer.publicJwk()}}};
            const QByteArray token = signer.sign({{u"sub"_s, u"1"_s}});
            QVERIFY(Jws::verify(token, jwks));
            // 64 and 256 signature bytes leave 4 unused bits in the last character:
            // flipping the lowest gives the same bytes, spelt differently.
            QByteArray other = token;
            other.back() = alphabet.at(alphabet.indexOf(token.back()) ^ 1);
            QVERIFY(other != token);
            QCOMPARE(QByteArray::fromBase64(other.mid(other.lastIndexOf('.') + 1),
                                            QByteArray::Base64UrlEncoding),
                     QByteArray::fromBase64(token.mid(token.lastIndexOf('.') + 1),
                                            QByteArray::Base64UrlEncoding));
            QVERIFY(!Jws::verify(other, jwks));
        }
    }

    void jsonBodyWithRawByteOrderMark()
    {
        Request request;
        request.body = "{\"\xef\xbb\xbfusername\":\"admin\",\"zz\":1}";
        try {
            const QJsonObject body = Body::object(request);
            QFAIL(qPrintable(u"accepted; value(username) = "_s +
                             body.value(u"username").toString() + u", keys: "_s +
                             body.keys().join(u',')));
        } catch (const ApiError &e) {
            QCOMPARE(e.status, 400);
        }
        request.body = R"({"username":"\ufeffadmin"})";
        QCOMPARE(Body::object(request).value(u"username").toString(), u"\ufeffadmin"_s);
    }

    void requestBehindOneThatEndsTheConnection()
    {
        // An HTTP/1.0 request without keep-alive ends the connection; answered later (on
        // the pool), the request pipelined behind it was run too, and its answer dropped.
        Metrics metrics;
        const Router router;
        ListenerContext context;
        context.metrics = &metrics;
        context.router = &router;
        QList<QByteArray> targets;
        context.dispatch = [&](Connection &, quint64, RequestFramer::RequestInfo &info) {
            targets.append(info.target);
        };
        QByteArray sent;
        auto *connection =
            new Connection(std::make_unique<RecordingLink>(&sent), context, 1, false);
        connection->onInput("GET /a HTTP/1.0\r\n\r\nPOST /b HTTP/1.1\r\n\r\n");
        QCOMPARE(targets, QList<QByteArray>{"/a"});
        connection->complete(0, Response::empty());
        QVERIFY(sent.startsWith("HTTP/1.1 204 "));
        QCOMPARE(sent.count("HTTP/1.1"), 1);
        QVERIFY(sent.contains("\r\nConnection: close\r\n"));
        QCOMPARE(targets.size(), 1);
        delete connection;
    }
};

QTEST_GUILESS_MAIN(TestFuzzFindings)
#include "tst_fuzzfindings.moc"
