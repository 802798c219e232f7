#pragma once

#include "AgentSnapshot.h"
#include "ScorecardThresholds.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace switchboard {

// The architecture scorecard (issue 10; docs/scorecard.md): each line a verdict against the
// targets the scaling guides set, with the figure and why, computed from what the agents report.
enum class Verdict { Pass, Warn, Fail, Unknown };

// "pass", "warn", "fail", "unknown".
QString verdictName(Verdict verdict);

struct ScoreLine {
    QString key;   // stable: "replica_lag", "cache_hit_rate", … (tests, settings, the report)
    QString title; // "Replica lag < 100 ms"
    Verdict verdict = Verdict::Unknown;
    QString figure;  // the measured figure, "142 ms"; "–" when unknown
    QString why;     // the sentence behind the verdict, naming the worst element
    QString concern; // the view that shows it: "replication", "cache", "breakers", …

    friend bool operator==(const ScoreLine&, const ScoreLine&) = default;
};

// One agent as the scorecard reads it: its last snapshot and whether that is live now.
struct ScorecardAgent {
    QString name; // its instance name, for the reasons
    AgentSnapshot snapshot;
    bool live = true;
};

// Grades the fleet against the thresholds. Pure: the same agents give the same lines. A line
// whose figure no agent reports is Unknown with the reason, never a pass.
QList<ScoreLine> gradeScorecard(const QList<ScorecardAgent>& agents,
                                const ScorecardThresholds& thresholds);

// The worst verdict of the lines (Unknown counts below Warn and above Pass).
Verdict worstVerdict(const QList<ScoreLine>& lines);

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::Verdict)
