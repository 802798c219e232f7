// docs/configuration.md against the agent's list of keys (config_keys.h, the list its parser warns
// by): every key the agent accepts is documented, every documented key is one it accepts, and so
// for the environment variables; the page's complete example is a valid file holding every key.
#include "TestCertificates.h"
#include "config_keys.h"
#include "switchboard/agent_config.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <algorithm>
#include <nlohmann/json.hpp>

using switchboard::AgentConfig;
namespace config_keys = switchboard::config_keys;

namespace {

QString readPage() {
    QFile file(QStringLiteral(SWITCHBOARD_DOCS_DIR "/configuration.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// A table row's cells, without the outer bars: "| `a` | b |" → ["`a`", "b"].
QStringList cells(const QString& line) {
    QStringList parts = line.trimmed().split(QLatin1Char('|'));
    if (parts.size() < 3)
        return {};
    parts = parts.mid(1, parts.size() - 2);
    for (QString& part : parts)
        part = part.trimmed();
    return parts;
}

struct Documented {
    QSet<QString> keys;              // first cells that are one code span
    QSet<QString> variables;         // SWITCHBOARD_* in the environment column
    QMap<QString, QString> defaults; // by key: the "default" cell
    QMap<QString, QString> ranges;   // by key: the "range, checks" cell
};

Documented documented(const QString& page) {
    static const QRegularExpression keyCell(QStringLiteral("^`([^`]+)`$"));
    static const QRegularExpression variable(QStringLiteral("SWITCHBOARD_[A-Z0-9_]+"));
    Documented found;
    int environmentColumn = -1;
    int defaultColumn = -1;
    int rangeColumn = -1;
    for (const QString& line : page.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QLatin1Char('|')))
            continue;
        const QStringList row = cells(line);
        if (!row.isEmpty() && row.first() == QStringLiteral("key")) {
            environmentColumn = int(row.indexOf(QStringLiteral("environment")));
            defaultColumn = int(row.indexOf(QStringLiteral("default")));
            rangeColumn = int(row.indexOf(QStringLiteral("range, checks")));
            continue;
        }
        auto match = keyCell.match(row.value(0));
        if (!match.hasMatch())
            continue;
        found.keys.insert(match.captured(1));
        if (defaultColumn > 0)
            found.defaults.insert(match.captured(1), row.value(defaultColumn));
        if (rangeColumn > 0)
            found.ranges.insert(match.captured(1), row.value(rangeColumn));
        if (environmentColumn > 0) {
            auto names = variable.globalMatch(row.value(environmentColumn));
            while (names.hasNext())
                found.variables.insert(names.next().captured(0));
        }
    }
    return found;
}

// The page's JSON examples: the first a whole file, the others fragments of one ("ha": {...}),
// returned as files.
std::vector<nlohmann::json> jsonExamples(const QString& page) {
    const QString fence = QStringLiteral("```json\n");
    std::vector<nlohmann::json> examples;
    for (auto start = page.indexOf(fence); start >= 0; start = page.indexOf(fence, start + 1)) {
        const auto body = start + fence.size();
        const QString text = page.mid(body, page.indexOf(QStringLiteral("\n```"), body) - body);
        examples.push_back(nlohmann::json::parse(
            (examples.empty() ? text : QLatin1Char('{') + text + QLatin1Char('}')).toStdString()));
    }
    return examples;
}

bool listed(const std::string& pattern) {
    const auto keys = config_keys::fileKeys();
    return std::find(keys.begin(), keys.end(), pattern) != keys.end();
}

// The list's patterns of every leaf of `value` ("ha.regions[].name", "ha.regions[].shards.*").
void leaves(const nlohmann::json& value, const std::string& pattern, QSet<QString>& out) {
    if (value.is_object() && !pattern.empty() && listed(pattern + ".*")) {
        out.insert(QString::fromStdString(pattern + ".*"));
    } else if (value.is_object()) {
        for (const auto& [key, child] : value.items())
            leaves(child, pattern.empty() ? key : pattern + "." + key, out);
    } else if (value.is_array() && !value.empty() && value[0].is_object()) {
        for (const auto& entry : value)
            leaves(entry, pattern + "[]", out);
    } else {
        out.insert(QString::fromStdString(pattern));
    }
}

QSet<QString> toSet(std::span<const std::string_view> names) {
    QSet<QString> set;
    for (std::string_view name : names)
        set.insert(QString::fromLatin1(name.data(), qsizetype(name.size())));
    return set;
}

// A file with every section switched on, each key at its default but for those that have none;
// the key checks below set one key in it at a time.
nlohmann::json everySection() {
    return nlohmann::json::parse(
        "{\"token_files\": [\"viewer.json\"],"
        " \"postgres\": {\"primary\": \"host=127.0.0.1\","
        "                \"replicas\": [{\"name\": \"r1\", \"conninfo\": \"host=127.0.0.2\"}]},"
        " \"redis\": {\"host\": \"127.0.0.1\"}, \"read_router\": {}, \"cache\": {},"
        " \"shards\": {\"nodes\": [{\"name\": \"shard-1\", \"conninfo\": \"host=127.0.0.3\"}],"
        "              \"tables\": [{\"name\": \"orders\"}]},"
        " \"ha\": {\"regions\": [{\"name\": \"east\", \"patroni\": [\"http://127.0.0.1:8008\"],"
        "                        \"standby_cluster\": {\"host\": \"127.0.0.4\", \"port\": 5432}}],"
        "        \"writes\": {}, \"stop_conditions\": {}}}");
}

// The value at a key of the list ("ha.regions[].standby_cluster.port": the first region's),
// created if missing; nullptr where the file has no such array entry or the key is a name ("*").
nlohmann::json* at(nlohmann::json& file, const QString& key) {
    nlohmann::json* node = &file;
    for (const QString& part : key.split(QLatin1Char('.'))) {
        if (part == QStringLiteral("*"))
            return nullptr;
        const bool entry = part.endsWith(QStringLiteral("[]"));
        node = &(*node)[(entry ? part.chopped(2) : part).toStdString()];
        if (entry) {
            if (!node->is_array() || node->empty())
                return nullptr;
            node = &(*node)[0];
        }
    }
    return node;
}

// How a ConfigError names the key: array entries by index.
QString errorKey(const QString& key) {
    QString named = key;
    return named.replace(QStringLiteral("[]"), QStringLiteral("[0]"));
}

// Parses `file`; the ConfigError's key when it is refused, "" when accepted.
QString refusal(const nlohmann::json& file) {
    try {
        AgentConfig::fromJson(file.dump());
        return {};
    } catch (const switchboard::ConfigError& error) {
        return QString::fromStdString(error.key());
    }
}

QString listOf(QSet<QString> names) {
    QStringList sorted(names.begin(), names.end());
    sorted.sort();
    return sorted.join(QStringLiteral(", "));
}

} // namespace

class TestConfigurationDocs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_page = readPage();
        QVERIFY2(!m_page.isEmpty(), "docs/configuration.md cannot be read");
        QVERIFY(config_keys::fileKeys().size() > 30);
        QVERIFY(config_keys::environmentVariables().size() > 10);
    }

    void everyKeyTheAgentReadsIsDocumented() {
        const QSet<QString> missing = toSet(config_keys::fileKeys()) - documented(m_page).keys;
        QVERIFY2(missing.isEmpty(), qPrintable("undocumented: " + listOf(missing)));
    }

    void everyDocumentedKeyIsOneTheAgentReads() {
        const QSet<QString> unknown = documented(m_page).keys - toSet(config_keys::fileKeys());
        QVERIFY2(unknown.isEmpty(), qPrintable("documented, yet unknown: " + listOf(unknown)));
    }

    void theEnvironmentVariablesMatch() {
        const QSet<QString> code = toSet(config_keys::environmentVariables());
        const QSet<QString> docs = documented(m_page).variables;
        QVERIFY2((code - docs).isEmpty(), qPrintable("undocumented: " + listOf(code - docs)));
        QVERIFY2((docs - code).isEmpty(),
                 qPrintable("documented, yet unknown: " + listOf(docs - code)));
    }

    // The complete example is what a reader copies: it must start an agent (with a real
    // certificate in place of its path).
    void theCompleteExampleIsValid() {
        TestCertificates certificates(QStringLiteral("configuration-docs"));
        QVERIFY2(certificates.ok(), qPrintable(certificates.error()));
        const QString certificate = certificates.serverCertificate(QStringLiteral("agent.pem"));
        QVERIFY2(!certificate.isEmpty(), qPrintable(certificates.error()));

        auto examples = jsonExamples(m_page);
        QVERIFY(!examples.empty());
        nlohmann::json& example = examples.front();
        QVERIFY(example.contains("tls"));
        example["tls"]["certificate"] = certificate.toStdString();
        try {
            const AgentConfig config = AgentConfig::fromJson(example.dump());
            QVERIFY2(config.warnings.empty(),
                     config.warnings.empty() ? "" : config.warnings.front().c_str());
            QVERIFY(config.cache.enabled);
            QVERIFY(config.ha.enabled);
            QCOMPARE(config.ha.regions.size(), std::size_t(2));
        } catch (const switchboard::ConfigError& error) {
            QFAIL(error.what());
        }
    }

    // Between them the examples show every key, and no key the agent would warn of.
    void theExamplesShowEveryKey() {
        QSet<QString> shown;
        for (const nlohmann::json& example : jsonExamples(m_page)) {
            const auto warnings = config_keys::unknownKeys(example);
            QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings.front().c_str());
            leaves(example, "", shown);
        }
        const QSet<QString> missing = toSet(config_keys::fileKeys()) - shown;
        QVERIFY2(missing.isEmpty(), qPrintable("in no example: " + listOf(missing)));
    }

    // "A to B": both ends accepted, one past either refused, naming the key.
    void theDocumentedRangesAreTheCodes() {
        static const QRegularExpression range(QStringLiteral("^(-?\\d+) to (\\d+)"));
        const Documented docs = documented(m_page);
        const nlohmann::json base = everySection();
        QCOMPARE(refusal(base), QString());
        int checked = 0;
        for (auto row = docs.ranges.begin(); row != docs.ranges.end(); ++row) {
            const auto match = range.match(row.value());
            if (!match.hasMatch())
                continue;
            const long long low = match.captured(1).toLongLong();
            const long long high = match.captured(2).toLongLong();
            const QString& key = row.key();
            for (long long value : {low, high, low - 1, high + 1}) {
                nlohmann::json file = base;
                nlohmann::json* slot = at(file, key);
                QVERIFY2(slot, qPrintable(key));
                *slot = value;
                const QString expected = (value < low || value > high) ? errorKey(key) : QString();
                QVERIFY2(refusal(file) == expected,
                         qPrintable(QStringLiteral("%1 = %2: refused by \"%3\", expected \"%4\"")
                                        .arg(key)
                                        .arg(value)
                                        .arg(refusal(file), expected)));
            }
            ++checked;
        }
        QVERIFY2(checked >= 25, qPrintable(QString::number(checked) + " ranges checked"));
    }

    // A default the table gives as a number or a `literal`: setting the key to it changes
    // nothing. (Defaults that are a sentence or another key, e.g. `postgres.primary`, are not
    // values of the key.)
    void theDocumentedDefaultsAreTheCodes() {
        static const QRegularExpression number(QStringLiteral("^(-?\\d+(\\.\\d+)?)(:|$)"));
        static const QRegularExpression literal(QStringLiteral("^`([^`<>]+)`$"));
        const Documented docs = documented(m_page);
        const QSet<QString> keys = toSet(config_keys::fileKeys());
        const nlohmann::json base = everySection();
        const AgentConfig defaults = AgentConfig::fromJson(base.dump());
        int checked = 0;
        for (auto row = docs.defaults.begin(); row != docs.defaults.end(); ++row) {
            const QString& key = row.key();
            nlohmann::json file = base;
            nlohmann::json copy = base;
            nlohmann::json* slot = at(file, key);
            if (!slot)
                continue;
            if (const auto match = number.match(row.value()); match.hasMatch()) {
                const QString text = match.captured(1);
                if (text.contains(QLatin1Char('.')))
                    *slot = text.toDouble();
                else
                    *slot = text.toLongLong();
            } else if (const auto match = literal.match(row.value());
                       match.hasMatch() && !keys.contains(match.captured(1))) {
                const QString text = match.captured(1);
                if (text == QStringLiteral("true") || text == QStringLiteral("false"))
                    *slot = text == QStringLiteral("true");
                else
                    *slot = text.toStdString();
            } else {
                continue;
            }
            QVERIFY2(at(copy, key)->is_null(), qPrintable(key + " is set in the base file"));
            const AgentConfig set = AgentConfig::fromJson(file.dump());
            QVERIFY2(set == defaults,
                     qPrintable(key + " = " + row.value() + " is not the default"));
            ++checked;
        }
        QVERIFY2(checked >= 40, qPrintable(QString::number(checked) + " defaults checked"));
    }

private:
    QString m_page;
};

QTEST_APPLESS_MAIN(TestConfigurationDocs)
#include "tst_configuration_docs.moc"
