#pragma once

#include "RegionsStatus.h"

#include <QString>

namespace switchboard {

// A drill's result as a Markdown report an on-call engineer can attach to a ticket or a
// post-mortem: what was drilled (kind, mode, region, from → to), how it ended, RTO against its
// target and RPO (writes, bytes, ms) against its target with met / not met, how many writes
// were checked, the timeline as a table and the error if any. Times are UTC so that the same
// result always reads the same, wherever it is exported. Pure: no file, no widget (the PDF is
// made from this text in widgets/DrillReportExport).
QString drillReportMarkdown(const DrillResult& drill);

// "drill-us-east-switchover-20261123-235422": a file name (without extension) for the report.
QString drillReportBaseName(const DrillResult& drill);

// "met", "not met", or "–" when the agent gave no verdict.
QString drillVerdictText(const std::optional<bool>& met);

} // namespace switchboard
