// LabelFilter (the metric browser's label filter), the legend's distinguishing labels, and the
// Metrics view's CSV export of the store's points.
#include "LabelFilter.h"
#include "SeriesCsv.h"
#include "TimeSeriesStore.h"

#include <QTest>
#include <cmath>

using namespace switchboard;

class TstLabelFilter : public QObject {
    Q_OBJECT

private slots:
    void parsesTermsAndMatches() {
        const LabelFilter filter =
            LabelFilter::parse(QStringLiteral("agent=a, route!=\"/health\"  code='2 00'"));
        QCOMPARE(filter.terms().size(), 3);
        QVERIFY(filter.error().isEmpty());
        QCOMPARE(filter.terms().at(2).value, QStringLiteral("2 00"));
        const SeriesKey pass(QStringLiteral("m"),
                             {{"agent", "a"}, {"route", "/x"}, {"code", "2 00"}});
        const SeriesKey health(QStringLiteral("m"),
                               {{"agent", "a"}, {"route", "/health"}, {"code", "2 00"}});
        const SeriesKey other(QStringLiteral("m"), {{"agent", "b"}, {"code", "2 00"}});
        QVERIFY(filter.matches(pass));
        QVERIFY(!filter.matches(health));
        QVERIFY(!filter.matches(other));
        // A label the series lacks is the empty value, as in PromQL.
        QVERIFY(LabelFilter::parse(QStringLiteral("zone=")).matches(pass));
        QVERIFY(LabelFilter::parse(QString()).matches(pass));
    }

    void namesWhatItCannotRead() {
        const LabelFilter filter = LabelFilter::parse(QStringLiteral("agent=a oops, =x"));
        QCOMPARE(filter.terms().size(), 1);
        QVERIFY2(filter.error().contains(QLatin1String("oops")), qPrintable(filter.error()));
        QVERIFY2(filter.error().contains(QLatin1String("=x")), qPrintable(filter.error()));
    }

    void legendNamesUseTheLabelsThatDiffer() {
        const QList<SeriesKey> keys{
            SeriesKey(QStringLiteral("m"), {{"agent", "a"}, {"job", "x"}, {"route", "/1"}}),
            SeriesKey(QStringLiteral("m"), {{"agent", "b"}, {"job", "x"}, {"route", "/1"}}),
            SeriesKey(QStringLiteral("m"), {{"agent", "b"}, {"job", "x"}, {"route", "/2"}})};
        const QStringList names = distinguishingLabels(keys);
        QCOMPARE(names, QStringList({"agent", "route"}));
        QCOMPARE(seriesDisplayName(keys.at(2), names), QStringLiteral("agent=b, route=/2"));
        QCOMPARE(distinguishingLabels({keys.front()}), QStringList());
        QCOMPARE(seriesDisplayName(keys.front(), {}), QStringLiteral("m"));
    }

    void csvHasOneColumnPerSeriesAndOneRowPerTime() {
        TimeSeriesStore store;
        const SeriesKey a(QStringLiteral("m"), {{"agent", "a"}});
        const SeriesKey b(QStringLiteral("m"), {{"agent", "b"}});
        store.append(a, 1'000, 1.5);
        store.append(a, 2'000, 2.0);
        store.append(b, 2'000, 20.0);
        store.append(b, 3'000, std::nan(""));
        store.append(a, 9'000, 99.0); // outside the range
        const QStringList lines = seriesCsv(store, {a, b}, 0, 5'000).split(u'\n');
        QCOMPARE(lines.size(), 5); // header, three times, the empty line after the last \n
        QCOMPARE(lines.at(0), QStringLiteral(R"(time,"m{agent=""a""}","m{agent=""b""}")"));
        QCOMPARE(lines.at(1), QStringLiteral("1970-01-01T00:00:01.000Z,1.5,"));
        QCOMPARE(lines.at(2), QStringLiteral("1970-01-01T00:00:02.000Z,2,20"));
        QCOMPARE(lines.at(3), QStringLiteral("1970-01-01T00:00:03.000Z,,"));
        QCOMPARE(lines.at(4), QString());
    }
};

QTEST_GUILESS_MAIN(TstLabelFilter)
#include "tst_label_filter.moc"
