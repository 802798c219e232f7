// switchboard-audit verify, the built executable run on real files: its output and exit status
// for an intact log (0), a tampered one (1, the first broken entry named), an unreadable file or
// a wrong command line (2), and --json.
#include "AuditFiles.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using nlohmann::json;
using namespace switchboard;
using namespace audit_files;

class TestAuditCommand : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    QTemporaryDir dir_;
    std::string path(const char* name) const { return (dir_.path() + "/" + name).toStdString(); }

    static Run run(const QStringList& arguments) {
        QProcess process;
        process.start(QStringLiteral(SWITCHBOARD_AUDIT_COMMAND), arguments);
        Run result;
        if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit)
            return result;
        result.exitCode = process.exitCode();
        result.out = QString::fromUtf8(process.readAllStandardOutput());
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

private slots:
    void anIntactLogExitsZeroWithTheLastHash() {
        auto file = path("intact.jsonl");
        writeChainedLog(file, 3);
        Run result = run({"verify", QString::fromStdString(file)});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, QString::fromStdString(file + ": 3 entries, chain intact (last hash " +
                                                    sha256Hex(readLines(file).back()) + ")\n"));
        QCOMPARE(result.err, QString());
    }

    void aTamperedLogExitsOneNamingTheFirstBrokenEntry() {
        auto file = path("tampered.jsonl");
        writeChainedLog(file, 4);
        auto lines = readLines(file);
        lines[1].replace(lines[1].find("redis-2"), 7, "redis-9");
        std::swap(lines[2], lines[3]); // a later break is not the one named
        writeLines(file, lines);
        Run result = run({"verify", QString::fromStdString(file)});
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.out,
                 QString::fromStdString(
                     file + ": entry seq 2 (line 2) broken: hash does not match its content\n"));
    }

    void aTornLastLineIsANote() {
        auto file = path("torn.jsonl");
        writeChainedLog(file, 2);
        auto lines = readLines(file);
        lines.push_back("{\"event\":\"pl");
        writeLines(file, lines, false);
        Run result = run({"verify", QString::fromStdString(file)});
        QCOMPARE(result.exitCode, 0);
        const QStringList out = result.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(out.size(), 2);
        QVERIFY(out[0].contains(": 2 entries, chain intact"));
        QCOMPARE(out[1],
                 QString::fromStdString(
                     file + ": note: line 3 is not an entry (a write cut short?); skipped"));
    }

    void jsonOutput() {
        auto file = path("as-json.jsonl");
        writeChainedLog(file, 3);
        Run intact = run({"verify", "--json", QString::fromStdString(file)});
        QCOMPARE(intact.exitCode, 0);
        json document = json::parse(intact.out.toStdString());
        QCOMPARE(document["file"].get<std::string>(), file);
        QVERIFY(document["intact"] == json(true));
        QVERIFY(document["entries"] == json(3));
        QVERIFY(document["warnings"] == json::array());

        auto lines = readLines(file);
        lines.erase(lines.begin() + 1);
        writeLines(file, lines);
        Run broken = run({"verify", QString::fromStdString(file), "--json"});
        QCOMPARE(broken.exitCode, 1);
        document = json::parse(broken.out.toStdString());
        QVERIFY(document["intact"] == json(false));
        QVERIFY(document["first_break"]["seq"] == json(3));
        QVERIFY(document["first_break"]["line"] == json(2));
        QCOMPARE(document["first_break"]["reason"].get<std::string>(),
                 std::string("seq not one more than the previous (1)"));
    }

    void anUnreadableFileExitsTwo() {
        auto missing = path("missing.jsonl");
        Run result = run({"verify", QString::fromStdString(missing)});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.out, QString());
        QCOMPARE(result.err, QString::fromStdString("switchboard-audit: cannot read " + missing +
                                                    ": No such file or directory\n"));

        Run directory = run({"verify", dir_.path()});
        QCOMPARE(directory.exitCode, 2);
        QVERIFY(directory.err.contains("is a directory"));

        Run asJson = run({"verify", "--json", QString::fromStdString(missing)});
        QCOMPARE(asJson.exitCode, 2);
        QCOMPARE(json::parse(asJson.out.toStdString())["error"].get<std::string>(),
                 std::string("No such file or directory"));
    }

    void aWrongCommandLineExitsTwoWithTheUsage() {
        for (const QStringList& arguments :
             {QStringList{}, QStringList{"check", "x"}, QStringList{"verify"},
              QStringList{"verify", "--bogus", "x"}, QStringList{"verify", "a", "b"}}) {
            Run result = run(arguments);
            QCOMPARE(result.exitCode, 2);
            QVERIFY2(result.err.contains("usage: switchboard-audit verify [--json] FILE"),
                     qPrintable(arguments.join(' ')));
        }
        Run help = run({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.startsWith("usage: switchboard-audit verify"));
    }
};

QTEST_GUILESS_MAIN(TestAuditCommand)
#include "tst_audit_command.moc"
