#include "DrillReportExport.h"

#include "DrillReport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace switchboard::drill_report_export {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::DrillReportExport", text);
}

void setError(QString* error, const QString& text) {
    if (error)
        *error = text;
}

} // namespace

bool writeMarkdown(const DrillResult& drill, const QString& path, QString* error) {
    // QSaveFile: a report half written over an older one would be worse than none.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) ||
        file.write(drillReportMarkdown(drill).toUtf8()) < 0 || !file.commit()) {
        setError(error, tr("Could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

bool writePdf(const DrillResult& drill, const QString& path, QString* error) {
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout::Millimeter);
    writer.setTitle(tr("Drill report: %1 of %2").arg(drill.kind, drill.region));
    writer.setCreator(QStringLiteral("Switchboard"));
    // 300 dpi is plenty for text and keeps the default font at a readable size on the page.
    writer.setResolution(300);
    QTextDocument document;
    document.setMarkdown(drillReportMarkdown(drill));
    document.print(&writer);
    // QPdfWriter says nothing when it cannot open its file: look for what it wrote.
    QFile written(path);
    if (!written.exists() || written.size() == 0) {
        setError(error, tr("Could not write %1").arg(path));
        return false;
    }
    return true;
}

void exportWithDialog(QWidget* parent, const DrillResult& drill, Format format,
                      std::function<void(const QString&)> done) {
    const bool pdf = format == Format::Pdf;
    auto* dialog = new QFileDialog(parent, pdf ? tr("Export drill report as PDF")
                                               : tr("Export drill report as Markdown"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(pdf ? tr("PDF (*.pdf)") : tr("Markdown (*.md)"));
    dialog->setDefaultSuffix(pdf ? QStringLiteral("pdf") : QStringLiteral("md"));
    dialog->selectFile(QDir::home().filePath(
        drillReportBaseName(drill) + (pdf ? QStringLiteral(".pdf") : QStringLiteral(".md"))));
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                     [drill, pdf, done = std::move(done)](const QString& path) {
                         QString error;
                         const bool ok = pdf ? writePdf(drill, path, &error)
                                             : writeMarkdown(drill, path, &error);
                         if (done)
                             done(ok ? tr("Drill report saved to %1").arg(path) : error);
                     });
    dialog->open();
}

} // namespace switchboard::drill_report_export
