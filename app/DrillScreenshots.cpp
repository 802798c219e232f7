#include "DrillScreenshots.h"

#include "DrillDialog.h"
#include "DrillReportExport.h"
#include "Fleet.h"
#include "MainWindow.h"

#include <QDir>
#include <QPixmap>
#include <QTextStream>

namespace switchboard {

namespace {

constexpr int kPollMs = 100;
constexpr int kLimitTicks = 1200; // two minutes for the whole drill

} // namespace

DrillScreenshots::DrillScreenshots(MainWindow* window, Fleet* fleet, QString dir, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_fleet(fleet)
    , m_dir(std::move(dir)) {
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &DrillScreenshots::poll);
}

void DrillScreenshots::start() {
    const RegionsSummary& regions = m_fleet->regions()->current();
    QString agentId;
    for (const QString& id : m_fleet->agentIds())
        if (m_fleet->actions(id) && id == regions.sourceAgentId)
            agentId = id;
    QString active;
    for (const auto& region : regions.status.regions)
        if (region.role == QLatin1String("active"))
            active = region.name;
    if (agentId.isEmpty() || active.isEmpty()) {
        fail(QStringLiteral("no agent reports an active region to drill"));
        return;
    }
    m_agentId = agentId;
    m_dialog = new DrillDialog(m_fleet->actions(agentId), m_fleet->regions(),
                               m_fleet->displayName(agentId), m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    DrillRequest request;
    request.region = active;
    request.kind = QStringLiteral("switchover");
    request.mode = QStringLiteral("live");
    request.confirmRegion = active; // typed, as the operator would
    m_dialog->setRequest(request);
    m_dialog->show();
    m_dialog->requestPlan();
    m_poll.start();
}

bool DrillScreenshots::grab(const QString& name) {
    const QString path = QDir(m_dir).absoluteFilePath(name);
    if (!m_dialog || !m_dialog->grab().save(path)) {
        fail(QStringLiteral("cannot write ") + path);
        return false;
    }
    QTextStream(stdout) << path << '\n';
    return true;
}

void DrillScreenshots::fail(const QString& why) {
    m_poll.stop();
    QTextStream(stderr) << "switchboard: drill screenshots: " << why << '\n';
    if (m_dialog)
        m_dialog->close();
    emit finished(1);
}

void DrillScreenshots::poll() {
    if (!m_dialog) {
        fail(QStringLiteral("the drill dialog closed"));
        return;
    }
    if (++m_ticks > kLimitTicks) {
        fail(QStringLiteral("the drill did not finish within two minutes: ") +
             m_dialog->errorText());
        return;
    }
    using Stage = DrillDialog::Stage;
    switch (m_dialog->stage()) {
    case Stage::Planned:
        if (!m_dialog->plan() || !m_dialog->plan()->executable) {
            grab(QStringLiteral("drill-preflight.png"));
            fail(QStringLiteral("the preflight does not pass: ") + m_dialog->errorText());
            return;
        }
        if (grab(QStringLiteral("drill-preflight.png")))
            m_dialog->confirmPlan();
        return;
    case Stage::Running:
        // A few steps in: the switchover asked for, the new leader awaited.
        if (!m_runningSaved && m_dialog->stepLog().size() >= 2)
            m_runningSaved = grab(QStringLiteral("drill-running.png"));
        return;
    case Stage::Finished: {
        m_poll.stop();
        const auto result = m_dialog->result();
        if (!m_runningSaved && !grab(QStringLiteral("drill-running.png")))
            return;
        if (!grab(QStringLiteral("drill-done.png")))
            return;
        QString error;
        const QDir dir(m_dir);
        if (!result ||
            !drill_report_export::writeMarkdown(
                *result, dir.absoluteFilePath(QStringLiteral("drill-report.md")), &error) ||
            !drill_report_export::writePdf(
                *result, dir.absoluteFilePath(QStringLiteral("drill-report.pdf")), &error)) {
            fail(result ? error
                        : QStringLiteral("the drill ended without a result: ") +
                              m_dialog->errorText());
            return;
        }
        QTextStream(stdout) << dir.absoluteFilePath(QStringLiteral("drill-report.pdf")) << '\n';
        const bool succeeded = result->outcome == QLatin1String("succeeded");
        if (!succeeded)
            QTextStream(stderr) << "switchboard: the pictured drill ended " << result->outcome
                                << '\n';
        m_dialog->close();
        emit finished(succeeded ? 0 : 1);
        return;
    }
    default:
        return;
    }
}

} // namespace switchboard
