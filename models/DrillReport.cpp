#include "DrillReport.h"

#include "ReplicationStatus.h" // replicationBytesText
#include "ShardsStatus.h"      // shardCountText

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::DrillReport", text);
}

QString utcText(qint64 ms) {
    if (ms <= 0)
        return QStringLiteral("–");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'"));
}

// A table cell: a '|' would end the cell early, a line break the row.
QString cell(const QString& text) {
    if (text.isEmpty())
        return QStringLiteral("–");
    QString escaped = text;
    escaped.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    escaped.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return escaped;
}

QString row(const QStringList& cells) {
    QStringList escaped;
    for (const QString& text : cells)
        escaped.append(cell(text));
    return QStringLiteral("| %1 |").arg(escaped.join(QStringLiteral(" | ")));
}

QString rpoText(const DrillResult& drill) {
    const QString writes =
        drill.rpoWrites == 1 ? tr("1 write") : tr("%1 writes").arg(shardCountText(drill.rpoWrites));
    return tr("%1, %2, %3")
        .arg(writes, replicationBytesText(drill.rpoBytes), drillDurationText(drill.rpoMs));
}

} // namespace

QString drillVerdictText(const std::optional<bool>& met) {
    if (!met)
        return QStringLiteral("–");
    return *met ? tr("met") : tr("not met");
}

QString drillReportMarkdown(const DrillResult& drill) {
    QStringList lines;
    lines << tr("# Drill report: %1 of %2").arg(drill.kind, drill.region) << QString();
    // The drill's id heads the table: Markdown wants a header row, and an empty one shows as
    // an empty row of cells.
    lines << row({tr("Drill"), drill.id}) << QStringLiteral("|---|---|");
    lines << row({tr("Kind"), drill.kind});
    lines << row({tr("Mode"), drill.mode});
    lines << row({tr("Region"), drill.region});
    lines << row({tr("From → to"), tr("%1 → %2").arg(cell(drill.from), cell(drill.to))});
    lines << row({tr("Outcome"), drillOutcomeText(drill.outcome)});
    lines << row({tr("Started"), utcText(drill.startedMs)});
    lines << row({tr("Finished"), utcText(drill.finishedMs)});
    lines << QString();

    lines << tr("## Objectives") << QString();
    lines << QStringLiteral("| | %1 | %2 | %3 |").arg(tr("Measured"), tr("Target"), tr("Verdict"))
          << QStringLiteral("|---|---|---|---|");
    lines << row({tr("RTO"), drillDurationText(drill.rtoMs), drillDurationText(drill.rtoTargetMs),
                  drillVerdictText(drill.rtoMet)});
    lines << row({tr("RPO"), rpoText(drill), drillDurationText(drill.rpoTargetMs),
                  drillVerdictText(drill.rpoMet)});
    lines << QString();
    lines << tr("Writes checked: %1. Write gap: %2.")
                 .arg(shardCountText(drill.writesChecked), drillDurationText(drill.writeGapMs));
    lines << QString();

    lines << tr("## Timeline") << QString();
    if (drill.timeline.isEmpty()) {
        lines << tr("No steps were recorded.");
    } else {
        lines << row({tr("t"), tr("Step"), tr("Detail")}) << QStringLiteral("|---|---|---|");
        for (const DrillTimelineStep& step : drill.timeline)
            lines << row({tr("+%1").arg(drillDurationText(step.tMs)), step.step, step.detail});
    }
    if (!drill.error.isEmpty()) {
        lines << QString() << tr("## Error") << QString() << drill.error;
    }
    lines << QString();
    return lines.join(QLatin1Char('\n'));
}

QString drillReportBaseName(const DrillResult& drill) {
    QStringList parts{QStringLiteral("drill")};
    if (!drill.region.isEmpty())
        parts << drill.region;
    if (!drill.kind.isEmpty())
        parts << drill.kind;
    if (drill.startedMs > 0)
        parts << QDateTime::fromMSecsSinceEpoch(drill.startedMs, Qt::UTC)
                     .toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString name = parts.join(QLatin1Char('-'));
    // Only what every file system takes.
    for (QChar& c : name) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    }
    return name;
}

} // namespace switchboard
