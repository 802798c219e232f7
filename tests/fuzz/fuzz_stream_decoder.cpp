// libFuzzer target for the console's stream decoder (models/StreamMessageParser.h): any frame
// in, no crash, no sanitizer report, and its promise kept: either a message or an error naming
// what is wrong, never both, never neither. The piece parsers that other paths call (the
// /v1/snapshot document, a probe, a breaker, ...) get the frame's object directly too. Built
// with clang against Qt Core by tests/fuzz/CMakeLists.txt and run by CTest for a bounded time.
#include "StreamMessageParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace switchboard;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_stream_decoder: %s\n", what);
    std::abort();
}

// A piece parser answers with a value and no error, or with nothing and an error.
template <typename T>
void checkPiece(const std::optional<T>& value, const QString& error, const char* piece) {
    if (value.has_value() == !error.isEmpty())
        fail(piece);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray frame(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const StreamMessageParser::Result result = StreamMessageParser::parse(frame);
    if (result.ok() == !result.error.isEmpty())
        fail("parse() gave both a message and an error, or neither");

    // The same frame decodes the same way twice: the decoder keeps no state.
    const StreamMessageParser::Result again = StreamMessageParser::parse(frame);
    if (again.ok() != result.ok() || again.error != result.error ||
        (result.ok() && !(*again.message == *result.message)))
        fail("parse() answered differently for the same frame");

    const QJsonDocument document = QJsonDocument::fromJson(frame);
    if (!document.isObject())
        return 0;
    const QJsonObject object = document.object();
    QString error;
    checkPiece(StreamMessageParser::parseSnapshot(object, &error), error, "parseSnapshot");
    error.clear();
    checkPiece(StreamMessageParser::parseProbe(object, &error), error, "parseProbe");
    error.clear();
    checkPiece(StreamMessageParser::parseRequests(object, &error), error, "parseRequests");
    error.clear();
    checkPiece(StreamMessageParser::parseBreaker(object, &error), error, "parseBreaker");
    error.clear();
    checkPiece(StreamMessageParser::parseReplication(object, &error), error, "parseReplication");
    error.clear();
    checkPiece(StreamMessageParser::parseReadRouter(object, &error), error, "parseReadRouter");
    // The tolerant ones never fail; they must only survive.
    (void)StreamMessageParser::parseShards(object);
    (void)StreamMessageParser::parseCache(object);
    (void)StreamMessageParser::parsePools(object.value(QStringLiteral("pools")));
    (void)StreamMessageParser::parseProcess(object.value(QStringLiteral("process")).toObject());
    return 0;
}
