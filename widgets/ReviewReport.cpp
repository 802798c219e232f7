#include "ReviewReport.h"

#include "Theme.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFontMetricsF>
#include <QLocale>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <cmath>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::ReviewReport", text);
}

// A4 landscape with 12 mm margins, the footer in the last 8 mm of it.
constexpr qreal kMarginMm = 12;
constexpr qreal kFooterMm = 8;
constexpr qreal kTextPointSize = 10;

QPageLayout a4Landscape() {
    return QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
                       QMarginsF(kMarginMm, kMarginMm, kMarginMm, kMarginMm),
                       QPageLayout::Millimeter);
}

// Paper is light whatever the console's theme: the light palette's health colours, and grey
// for a line nobody reports.
void setUp(QPdfWriter& writer) {
    writer.setPageLayout(a4Landscape());
    // Text stays vector; the resolution only sets the units the pages are laid out in.
    writer.setResolution(300);
    writer.setTitle(tr("Switchboard review report"));
    writer.setCreator(QStringLiteral("Switchboard"));
}

QString verdictFill(Verdict verdict) {
    static const Theme light = Theme::load(Theme::Kind::Light);
    switch (verdict) {
    case Verdict::Pass:
        return light.healthColor(Health::Up).name();
    case Verdict::Warn:
        return light.healthColor(Health::Unknown).name();
    case Verdict::Fail:
        return light.healthColor(Health::Down).name();
    case Verdict::Unknown:
        break;
    }
    return QStringLiteral("#e6e8eb");
}

QString requestsPerSecond(double value) {
    return tr("%1 requests/s").arg(QLocale().toString(value, 'f', 0));
}

QString row(const QString& label, const QString& html) {
    return QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(label.toHtmlEscaped(), html);
}

} // namespace

QString reviewReportHtml(const ReviewReportSummary& summary) {
    int failing = 0, warning = 0, unknown = 0;
    for (const ScoreLine& line : summary.lines) {
        failing += line.verdict == Verdict::Fail;
        warning += line.verdict == Verdict::Warn;
        unknown += line.verdict == Verdict::Unknown;
    }
    const auto total = summary.lines.size();
    QString counts = tr("%1 failing, %2 warning, %3 passing of %4 checks")
                         .arg(failing)
                         .arg(warning)
                         .arg(total - failing - warning - unknown)
                         .arg(total);
    if (unknown > 0)
        counts += tr(" (%1 not reported)").arg(unknown);

    QString html = QStringLiteral("<h1>%1</h1>").arg(tr("Switchboard review report"));
    html +=
        QStringLiteral("<p>%1</p>")
            .arg(tr("Generated %1 · %2, %3 live")
                     .arg(summary.generatedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm t")),
                          summary.agents == 1 ? tr("1 agent") : tr("%1 agents").arg(summary.agents))
                     .arg(summary.liveAgents)
                     .toHtmlEscaped());
    html += QStringLiteral("<table cellpadding=\"8\" cellspacing=\"0\"><tr>"
                           "<td bgcolor=\"%1\" style=\"font-size: 20pt; font-weight: bold;\">"
                           "%2</td><td style=\"font-size: 13pt;\">%3</td></tr></table>")
                .arg(verdictFill(summary.overall),
                     tr("Overall: %1").arg(verdictName(summary.overall).toUpper()),
                     counts.toHtmlEscaped());

    html += QStringLiteral("<h2>%1</h2>").arg(tr("Scorecard"));
    html += QStringLiteral("<table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"5\" "
                           "style=\"border-color: #9aa2ac; border-style: solid;\">"
                           "<thead><tr bgcolor=\"#e9ecf0\"><th>%1</th><th>%2</th><th>%3</th>"
                           "<th>%4</th></tr></thead>")
                .arg(tr("Verdict"), tr("Check"), tr("Figure"), tr("Why"));
    for (const ScoreLine& line : summary.lines)
        html += QStringLiteral("<tr><td bgcolor=\"%1\" align=\"center\"><b>%2</b></td>"
                               "<td>%3</td><td align=\"right\">%4</td><td>%5</td></tr>")
                    .arg(verdictFill(line.verdict), verdictName(line.verdict).toUpper(),
                         line.title.toHtmlEscaped(), line.figure.toHtmlEscaped(),
                         line.why.toHtmlEscaped());
    html += QStringLiteral("</table>");

    const ScalePlacement& placement = summary.placement;
    const auto bold = [](const QString& text) {
        return QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped());
    };
    QString planned = tr("× %1 growth × %2 margin")
                          .arg(QLocale().toString(summary.plan.growth, 'g', 3),
                               QLocale().toString(summary.plan.safetyMargin, 'g', 3));
    if (summary.plan.users > 0)
        planned += tr(", %1 users").arg(QLocale().toString(summary.plan.users, 'f', 0));
    html += QStringLiteral("<h2>%1</h2><table cellpadding=\"3\" cellspacing=\"0\">")
                .arg(tr("Scale matrix"));
    html += row(tr("Built"), bold(scaleStageName(placement.deployed)) +
                                 QStringLiteral(" (%1)").arg(summary.deployed.toHtmlEscaped()));
    html += row(tr("Today's peak"),
                tr("%1, which calls for %2")
                    .arg(requestsPerSecond(placement.peakRequestsPerSecond).toHtmlEscaped(),
                         bold(scaleStageName(placement.loadNow))));
    html += row(tr("Planned load"),
                tr("%1 (%2), which calls for %3")
                    .arg(requestsPerSecond(placement.neededRequestsPerSecond).toHtmlEscaped(),
                         planned.toHtmlEscaped(), bold(scaleStageName(placement.loadPlanned))));
    html += row(tr("The built stage carries"),
                requestsPerSecond(placement.deployedCapacity).toHtmlEscaped());
    const ScoreLine headroom = summary.lines.isEmpty() ? ScoreLine{} : summary.lines.last();
    html += row(tr("Capacity headroom"),
                bold(placement.peakRequestsPerSecond > 0
                         ? QStringLiteral("%1×").arg(QLocale().toString(placement.headroom, 'f', 1))
                         : tr("unknown (no request rate yet)")) +
                    QStringLiteral(" · %1").arg(verdictName(headroom.verdict).toUpper()));
    html += QStringLiteral("</table>");
    // The placement's own sentence is the headroom line's why, in the table above.
    return html;
}

// The report laid out on one paint device (a PDF writer, or an image for the docs): the text's
// pages at the device's resolution, then the pictures.
class ReviewReport::Pages {
public:
    Pages(const ReviewReport& report, QPaintDevice* device)
        : m_report(report) {
        const qreal dpi = device->logicalDpiY();
        const QPageLayout layout = a4Landscape();
        const QSizeF paint = layout.paintRect(QPageLayout::Inch).size() * dpi;
        m_page = QRectF(QPointF(0, 0), paint);
        m_body = m_page.adjusted(0, 0, 0, -kFooterMm / 25.4 * dpi);
        m_text.documentLayout()->setPaintDevice(device);
        QFont font = m_text.defaultFont();
        font.setPointSizeF(kTextPointSize); // the console's font may be presentation-sized
        m_text.setDefaultFont(font);
        m_text.setHtml(report.m_html);
        m_text.setPageSize(m_body.size());
        keepScaleMatrixTogether();
    }

    int textPages() const { return m_text.pageCount(); }
    int count() const { return textPages() + static_cast<int>(m_report.m_views.size()); }

    void paint(QPainter& painter, int index) const {
        painter.save();
        if (index < textPages())
            paintText(painter, index);
        else
            paintView(painter, m_report.m_views.at(index - textPages()));
        painter.restore();
        paintFooter(painter, index);
    }

private:
    // The scale matrix is short: split over two pages it reads badly, so when it would be, it
    // starts the last page instead.
    void keepScaleMatrixTogether() {
        const QString heading = tr("Scale matrix");
        for (QTextBlock block = m_text.begin(); block.isValid(); block = block.next()) {
            if (block.text() != heading)
                continue;
            const qreal top = m_text.documentLayout()->blockBoundingRect(block).top();
            if (static_cast<int>(top / m_body.height()) < m_text.pageCount() - 1) {
                QTextBlockFormat format = block.blockFormat();
                format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
                QTextCursor(block).setBlockFormat(format);
            }
            return;
        }
    }

    void paintText(QPainter& painter, int index) const {
        const qreal height = m_body.height();
        painter.translate(m_body.left(), m_body.top() - index * height);
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = QRectF(0, index * height, m_body.width(), height);
        // Black on paper, whichever palette the console shows.
        context.palette = Theme::load(Theme::Kind::Light).palette();
        context.palette.setColor(QPalette::Text, Qt::black);
        painter.setClipRect(context.clip);
        m_text.documentLayout()->draw(&painter, context);
    }

    void paintView(QPainter& painter, const ReviewReportView& view) const {
        QFont heading = m_text.defaultFont();
        heading.setPointSizeF(kTextPointSize * 1.6);
        heading.setBold(true);
        painter.setFont(heading);
        painter.setPen(Qt::black);
        const qreal headingHeight = QFontMetricsF(heading, painter.device()).height() * 1.6;
        painter.drawText(QRectF(m_body.left(), m_body.top(), m_body.width(), headingHeight),
                         Qt::AlignLeft | Qt::AlignTop, view.heading);
        const QRectF area = m_body.adjusted(0, headingHeight, 0, 0);
        if (view.image.isNull()) {
            painter.drawText(area, Qt::AlignCenter, tr("(nothing to show)"));
            return;
        }
        const QSizeF size = QSizeF(view.image.size()).scaled(area.size(), Qt::KeepAspectRatio);
        const QRectF target(area.left() + (area.width() - size.width()) / 2, area.top(),
                            size.width(), size.height());
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(target, view.image);
        painter.setPen(QPen(QColor(0x9a, 0xa2, 0xac), 0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(target);
    }

    void paintFooter(QPainter& painter, int index) const {
        QFont small = m_text.defaultFont();
        small.setPointSizeF(kTextPointSize * 0.8);
        painter.setFont(small);
        painter.setPen(QColor(0x5f, 0x66, 0x70));
        const QRectF footer(m_page.left(), m_body.bottom(), m_page.width(),
                            m_page.bottom() - m_body.bottom());
        painter.drawText(footer, Qt::AlignLeft | Qt::AlignBottom,
                         tr("Switchboard review report · %1")
                             .arg(m_report.m_summary.generatedAt.toString(
                                 QStringLiteral("yyyy-MM-dd HH:mm t"))));
        painter.drawText(footer, Qt::AlignRight | Qt::AlignBottom,
                         tr("page %1 of %2").arg(index + 1).arg(count()));
    }

    const ReviewReport& m_report;
    QRectF m_page; // the printable area, in device pixels from its top left
    QRectF m_body; // the page less its footer
    QTextDocument m_text;
};

ReviewReport::ReviewReport(ReviewReportSummary summary, QList<ReviewReportView> views)
    : m_summary(std::move(summary))
    , m_views(std::move(views))
    , m_html(reviewReportHtml(m_summary)) {}

int ReviewReport::pageCount() const {
    // Laid out as writePdf() lays it out (a PDF writer that is never painted on writes nothing).
    QBuffer nowhere;
    QPdfWriter writer(&nowhere);
    setUp(writer);
    return Pages(*this, &writer).count();
}

bool ReviewReport::writePdf(const QString& path, QString* error) const {
    const auto fail = [&] {
        if (error)
            *error = tr("Could not write %1").arg(path);
        return false;
    };
    QPdfWriter writer(path);
    setUp(writer);
    QPainter painter;
    // QPdfWriter says nothing when it cannot open its file, but the painter does not begin.
    if (!painter.begin(&writer))
        return fail();
    const Pages pages(*this, &writer);
    for (int index = 0; index < pages.count(); ++index) {
        if (index > 0)
            writer.newPage();
        pages.paint(painter, index);
    }
    painter.end();
    const QFile written(path);
    if (!written.exists() || written.size() == 0)
        return fail();
    return true;
}

QImage ReviewReport::pageImage(int index, int widthPx) const {
    const QPageLayout layout = a4Landscape();
    const QSizeF inches = layout.fullRect(QPageLayout::Inch).size();
    const qreal dpi = widthPx / inches.width();
    QImage image(widthPx, static_cast<int>(std::lround(inches.height() * dpi)),
                 QImage::Format_RGB32);
    image.setDotsPerMeterX(std::lround(dpi / 0.0254));
    image.setDotsPerMeterY(std::lround(dpi / 0.0254));
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    // The margins, as on paper.
    painter.translate(layout.paintRect(QPageLayout::Inch).topLeft() * dpi);
    const Pages pages(*this, &image);
    if (index >= 0 && index < pages.count())
        pages.paint(painter, index);
    return image;
}

} // namespace switchboard
