// docs/protocol.md (and the pages it links for a part of the protocol: drills.md, cache.md...)
// against protocol.h, the header both sides compile: every name the header declares (paths,
// query parameters, headers, field names, event kinds and the other values) appears in the docs
// as code, each enum's numbers are spelt out, the version is the header's, and every endpoint a
// heading of protocol.md documents is one the header declares.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

QString readText(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// One constant of the header: its namespace, name and value.
struct Constant {
    QString space;
    QString name;
    QString value;
};

// An enumerator of an enum whose numbers cross the wire ("as the number in its ... field").
struct Enumerator {
    QString type;
    QString name;
    int number = 0;
};

struct Header {
    QList<Constant> strings;
    QList<Enumerator> enumerators;
    QStringList returned; // string literals functions return (roleName's "viewer", "operator")
    int version = -1;
};

// Reads the header line by line: it is a flat list of constants in namespaces, by convention one
// declaration a line (clang-format keeps it so).
Header readHeader(const QString& text) {
    static const QRegularExpression opens(QStringLiteral("^namespace ([a-z_]+) \\{"));
    static const QRegularExpression closes(QStringLiteral("^\\} // namespace ([a-z_]+)$"));
    static const QRegularExpression string(
        QStringLiteral("inline constexpr std::string_view (k\\w+) = \"([^\"]*)\";"));
    static const QRegularExpression version(
        QStringLiteral("inline constexpr int kVersion = (\\d+);"));
    static const QRegularExpression enumOpens(QStringLiteral("^enum class (\\w+) "));
    static const QRegularExpression enumerator(QStringLiteral("^\\s+(\\w+) = (\\d+),"));
    static const QRegularExpression literal(QStringLiteral("\"([^\"]+)\""));
    Header header;
    QString space;
    QString enumType;
    QString comment; // the comment lines right above the current line
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        if (line.startsWith(QStringLiteral("//"))) {
            comment += line;
            continue;
        }
        if (auto match = opens.match(line); match.hasMatch())
            space = match.captured(1);
        else if (closes.match(line).hasMatch())
            space.clear();
        else if (auto match = string.match(line); match.hasMatch())
            header.strings.append({space, match.captured(1), match.captured(2)});
        else if (auto match = version.match(line); match.hasMatch())
            header.version = match.captured(1).toInt();
        else if (auto match = enumOpens.match(line); match.hasMatch())
            enumType = comment.contains(QStringLiteral("number")) ? match.captured(1) : QString();
        else if (line.startsWith(QStringLiteral("};")))
            enumType.clear();
        else if (auto match = enumerator.match(line); match.hasMatch() && !enumType.isEmpty())
            header.enumerators.append({enumType, match.captured(1), match.captured(2).toInt()});
        else if (line.trimmed().startsWith(QStringLiteral("return "))) {
            auto literals = literal.globalMatch(line);
            while (literals.hasNext())
                header.returned.append(literals.next().captured(1));
        }
        comment.clear();
    }
    return header;
}

// The pages that make up the protocol's description: protocol.md and the pages of docs/ it links.
QStringList protocolPages(const QDir& docs) {
    static const QRegularExpression link(QStringLiteral("\\]\\(([a-z_]+\\.md)[#)]"));
    const QString main = readText(docs.filePath(QStringLiteral("protocol.md")));
    QStringList pages{main};
    QSet<QString> seen;
    auto links = link.globalMatch(main);
    while (links.hasNext()) {
        const QString name = links.next().captured(1);
        // configuration.md describes the agent's file, not the wire: its keys (max_lag_ms...)
        // must not stand in for the fields of the same name.
        if (name == QStringLiteral("protocol.md") || name == QStringLiteral("configuration.md") ||
            seen.contains(name))
            continue;
        seen.insert(name);
        const QString page = readText(docs.filePath(name));
        if (!page.isEmpty())
            pages.append(page);
    }
    return pages;
}

// Everything the pages show as code: fenced blocks and `spans`.
QString codeText(const QStringList& pages) {
    QString code;
    for (const QString& page : pages) {
        bool fenced = false;
        for (const QString& line : page.split(QLatin1Char('\n'))) {
            if (line.trimmed().startsWith(QStringLiteral("```"))) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                code += line + QLatin1Char('\n');
                continue;
            }
            const QStringList pieces = line.split(QLatin1Char('`'));
            for (qsizetype i = 1; i < pieces.size(); i += 2)
                code += pieces[i] + QLatin1Char('\n');
        }
    }
    return code;
}

// `value` as a whole token of `code` (not the tail of a longer name).
bool shows(const QString& code, const QString& value) {
    const QRegularExpression token(QStringLiteral("(?<![A-Za-z0-9_])") +
                                   QRegularExpression::escape(value) +
                                   QStringLiteral("(?![A-Za-z0-9_])"));
    return token.match(code).hasMatch();
}

// "HalfOpen" → "half[ -_]?open", matching "half-open", "half open" and "half_open".
QString wordsPattern(const QString& camel) {
    QString pattern;
    for (qsizetype i = 0; i < camel.size(); ++i) {
        if (i > 0 && camel[i].isUpper())
            pattern += QStringLiteral("[ _-]?");
        pattern += camel[i].toLower();
    }
    return pattern;
}

} // namespace

class TestProtocolDocs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_header = readHeader(readText(QStringLiteral(SWITCHBOARD_PROTOCOL_HEADER)));
        QVERIFY2(m_header.strings.size() > 100, "protocol.h read, yet few constants found");
        QVERIFY(m_header.enumerators.size() >= 6);
        QVERIFY(m_header.returned.size() >= 2);
        const QDir docs(QStringLiteral(SWITCHBOARD_DOCS_DIR));
        m_pages = protocolPages(docs);
        QVERIFY2(!m_pages.first().isEmpty(), "docs/protocol.md cannot be read");
        QVERIFY2(m_pages.size() > 2, "protocol.md links no page of docs/");
        m_code = codeText(m_pages);
    }

    void everyNameOfTheHeaderIsDocumented() {
        QStringList missing;
        for (const Constant& constant : m_header.strings)
            if (!shows(m_code, constant.value))
                missing.append(constant.space + QStringLiteral("::") + constant.name +
                               QStringLiteral(" \"") + constant.value + QLatin1Char('"'));
        for (const QString& value : m_header.returned)
            if (!shows(m_code, value))
                missing.append(QLatin1Char('"') + value + QLatin1Char('"'));
        QVERIFY2(missing.isEmpty(), qPrintable("not in the docs: " + missing.join(", ")));
    }

    // "0 closed, 1 open, 2 half-open": a number on the wire is described by its meaning.
    void everyEnumNumberIsSpeltOut() {
        QString prose = m_pages.join(QLatin1Char('\n'));
        prose.remove(QLatin1Char('`'));
        QStringList missing;
        for (const Enumerator& entry : m_header.enumerators) {
            const QRegularExpression spelt(QString::number(entry.number) + QStringLiteral(" ") +
                                               wordsPattern(entry.name) + QStringLiteral("\\b"),
                                           QRegularExpression::CaseInsensitiveOption);
            if (!spelt.match(prose).hasMatch())
                missing.append(entry.type + QStringLiteral("::") + entry.name);
        }
        QVERIFY2(missing.isEmpty(), qPrintable("numbers not explained: " + missing.join(", ")));
    }

    void theVersionIsTheHeaders() {
        QVERIFY(m_header.version > 0);
        const QString title = m_pages.first().section(QLatin1Char('\n'), 0, 0);
        QCOMPARE(title, QStringLiteral("# The agent protocol (version %1)").arg(m_header.version));
        const QRegularExpression field(QStringLiteral("\"protocol\": (\\d+)"));
        auto uses = field.globalMatch(m_code);
        int count = 0;
        while (uses.hasNext()) {
            QCOMPARE(uses.next().captured(1).toInt(), m_header.version);
            ++count;
        }
        QVERIFY(count > 0);
    }

    // "## `POST /v1/plans/<id>/confirm`": a path of the header, then ids and suffixes it declares.
    void everyDocumentedEndpointIsInTheHeader() {
        static const QRegularExpression heading(
            QStringLiteral("^#+ .*`(GET|POST|PUT|DELETE) (/[^` ?]*)"));
        QSet<QString> paths;
        QSet<QString> suffixes;
        for (const Constant& constant : m_header.strings) {
            if (constant.space != QStringLiteral("path"))
                continue;
            paths.insert(constant.value);
            if (constant.name.endsWith(QStringLiteral("Suffix")))
                suffixes.insert(constant.value);
        }
        int endpoints = 0;
        QStringList unknown;
        for (const QString& line : m_pages.first().split(QLatin1Char('\n'))) {
            auto match = heading.match(line);
            if (!match.hasMatch())
                continue;
            ++endpoints;
            const QString path = match.captured(2);
            const auto id = path.indexOf(QStringLiteral("/<"));
            const QString base = id < 0 ? path : path.left(id);
            const QString rest =
                id < 0 ? QString() : path.mid(path.indexOf(QLatin1Char('>'), id) + 1);
            if (!paths.contains(base) || suffixes.contains(base) ||
                !(rest.isEmpty() || suffixes.contains(rest)))
                unknown.append(match.captured(1) + QLatin1Char(' ') + path);
        }
        QVERIFY(endpoints >= 8);
        QVERIFY2(unknown.isEmpty(), qPrintable("not in protocol.h: " + unknown.join(", ")));
    }

private:
    Header m_header;
    QStringList m_pages;
    QString m_code;
};

QTEST_APPLESS_MAIN(TestProtocolDocs)
#include "tst_protocol_docs.moc"
