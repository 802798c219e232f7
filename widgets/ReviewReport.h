#pragma once

#include "ScaleMatrix.h"
#include "Scorecard.h"

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QString>

class QPainter;
class QPaintDevice;

namespace switchboard {

// What a review report says in words: when, how many agents, and the scorecard as the
// ScorecardModel graded it (every line, the overall verdict, the scale-matrix placement).
struct ReviewReportSummary {
    QDateTime generatedAt;
    int agents = 0;
    int liveAgents = 0;
    QList<ScoreLine> lines; // the headroom line last, as the model gives it
    Verdict overall = Verdict::Unknown;
    ScalePlacement placement;
    QString deployed; // DeployedArchitecture::text(): "2 shard nodes, 1 read replica"
    CapacityPlan plan;
};

// One picture of the console: a heading and what the view showed.
struct ReviewReportView {
    QString heading;
    QImage image;
};

// The review report of issue 10 (docs/presentation.md#the-review-report): an A4 landscape PDF
// with the title and scorecard as text first (as many pages as they take), then one page per
// picture, its heading above it and the picture scaled to fit, keeping its aspect ratio. Every
// page has a footer with the page number. The text part is HTML laid out by QTextDocument; the
// PDF's streams are compressed, so html() is what a test reads.
class ReviewReport {
public:
    ReviewReport(ReviewReportSummary summary, QList<ReviewReportView> views);

    const ReviewReportSummary& summary() const { return m_summary; }
    const QList<ReviewReportView>& views() const { return m_views; }
    const QString& html() const { return m_html; }

    // The pages it takes on A4 landscape: the text's pages plus one per view.
    int pageCount() const;
    // False with `error` naming the path when the file cannot be written.
    bool writePdf(const QString& path, QString* error = nullptr) const;
    // A page (from 0) as an image `widthPx` wide, A4 landscape proportions; the first is the
    // docs' picture.
    QImage pageImage(int index, int widthPx = 1600) const;
    QImage firstPage(int widthPx = 1600) const { return pageImage(0, widthPx); }

private:
    class Pages;

    ReviewReportSummary m_summary;
    QList<ReviewReportView> m_views;
    QString m_html;
};

// The title and the scorecard as HTML: heading, date and time, agents, the overall verdict in
// large type, a table of every line (verdict, check, figure, why) coloured by verdict, and the
// scale-matrix placement with its figures.
QString reviewReportHtml(const ReviewReportSummary& summary);

} // namespace switchboard
