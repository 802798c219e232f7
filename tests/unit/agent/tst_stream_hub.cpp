// The stream hub: a subscriber gets a snapshot then every event in order; a reconnecting one
// gets exactly what it missed; a peer that cannot take a message is dropped.
#include "stream_hub.h"
#include "switchboard/protocol.h"

#include <QTest>

using nlohmann::json;
using switchboard::StreamHub;
namespace protocol = switchboard::protocol;

class TestStreamHub : public QObject {
    Q_OBJECT

    static StreamHub makeHub(std::size_t history = 8) {
        return StreamHub({{"instance", "i-1"}}, history, "stream-a", [] { return 1000; });
    }
    static json probe(const std::string& name, int status) {
        return {{"name", name}, {"status", status}};
    }
    struct Recorder {
        std::vector<json> messages;
        StreamHub::Sink sink() {
            return [this](const std::string& text) {
                messages.push_back(json::parse(text));
                return true;
            };
        }
    };

private slots:
    void snapshotThenOrderedEvents() {
        auto hub = makeHub();
        hub.publish(protocol::event::kProbe, probe("pg", 1));
        Recorder client;
        QCOMPARE(hub.subscribe(&client, client.sink(), std::nullopt, ""), std::size_t(1));
        hub.publish(protocol::event::kProbe, probe("redis", 2));
        hub.publish(protocol::event::kRequests, {{"rate_per_s", 5.0}});

        QCOMPARE(client.messages.size(), std::size_t(3));
        const json& first = client.messages[0];
        QCOMPARE(first["type"].get<std::string>(), std::string("snapshot"));
        QCOMPARE(first["seq"].get<int>(), 1);
        QCOMPARE(first["protocol"].get<int>(), protocol::kVersion);
        QCOMPARE(first["snapshot"]["probes"].size(), std::size_t(1));
        QCOMPARE(client.messages[1]["seq"].get<int>(), 2);
        QCOMPARE(client.messages[2]["seq"].get<int>(), 3);
        QCOMPARE(client.messages[2]["kind"].get<std::string>(), std::string("requests"));
    }

    void snapshotFoldsEveryEvent() {
        auto hub = makeHub();
        hub.publish(protocol::event::kProbe, probe("pg", 1));
        hub.publish(protocol::event::kProbe, probe("pg", 2)); // replaces, does not add
        hub.publish(protocol::event::kProbe, probe("redis", 1));
        hub.publish(protocol::event::kRequests, {{"total", 42}});
        hub.publish(protocol::event::kBreaker,
                    {{"name", "redis"}, {"state", 1}, {"transition", {{"from", "closed"}}}});
        json snapshot = hub.snapshot();
        // A breaker's state is kept; the transition it came with is the event's news only.
        QCOMPARE(snapshot["breakers"].size(), std::size_t(1));
        QCOMPARE(snapshot["breakers"][0]["state"].get<int>(), 1);
        QVERIFY(!snapshot["breakers"][0].contains("transition"));
        QCOMPARE(snapshot["revision"].get<int>(), 5);
        QCOMPARE(snapshot["probes"].size(), std::size_t(2));
        QCOMPARE(snapshot["probes"][0]["name"].get<std::string>(), std::string("pg"));
        QCOMPARE(snapshot["probes"][0]["status"].get<int>(), 2);
        QCOMPARE(snapshot["requests"]["total"].get<int>(), 42);
        QCOMPARE(snapshot["info"]["instance"].get<std::string>(), std::string("i-1"));
    }

    void resumeSendsOnlyTheMissedEvents() {
        auto hub = makeHub();
        for (int i = 0; i < 5; ++i)
            hub.publish(protocol::event::kProbe, probe("pg", 1));
        Recorder client;
        QCOMPARE(hub.subscribe(&client, client.sink(), 3, "stream-a"), std::size_t(2));
        QCOMPARE(client.messages[0]["type"].get<std::string>(), std::string("event"));
        QCOMPARE(client.messages[0]["seq"].get<int>(), 4);
        QCOMPARE(client.messages[1]["seq"].get<int>(), 5);
    }

    void resumeFromAnotherStreamGetsASnapshot() {
        auto hub = makeHub();
        hub.publish(protocol::event::kProbe, probe("pg", 1));
        Recorder client;
        hub.subscribe(&client, client.sink(), 0, "stream-b");
        QCOMPARE(client.messages.size(), std::size_t(1));
        QCOMPARE(client.messages[0]["type"].get<std::string>(), std::string("snapshot"));
    }

    void resumeTooOldGetsASnapshot() {
        auto hub = makeHub(4);
        for (int i = 0; i < 10; ++i)
            hub.publish(protocol::event::kProbe, probe("pg", 1));
        Recorder client;
        hub.subscribe(&client, client.sink(), 2, "stream-a");
        QCOMPARE(client.messages.size(), std::size_t(1));
        QCOMPARE(client.messages[0]["type"].get<std::string>(), std::string("snapshot"));
        QCOMPARE(client.messages[0]["seq"].get<int>(), 10);
    }

    void deadPeerIsDroppedOthersKeepReceiving() {
        auto hub = makeHub();
        Recorder alive;
        int deadCalls = 0;
        hub.subscribe(&alive, alive.sink(), std::nullopt, "");
        hub.subscribe(
            &deadCalls, [&](const std::string&) { return ++deadCalls == 1; }, std::nullopt, "");
        QCOMPARE(hub.subscribers(), std::size_t(2));
        hub.publish(protocol::event::kProbe, probe("pg", 1));
        QCOMPARE(hub.subscribers(), std::size_t(1));
        hub.publish(protocol::event::kProbe, probe("pg", 1));
        QCOMPARE(deadCalls, 2);
        QCOMPARE(alive.messages.size(), std::size_t(3));
        hub.unsubscribe(&alive);
        QCOMPARE(hub.subscribers(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestStreamHub)
#include "tst_stream_hub.moc"
