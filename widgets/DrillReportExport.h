#pragma once

#include "RegionsStatus.h"

#include <QString>
#include <functional>

class QWidget;

namespace switchboard {

// Writes a drill's report (drillReportMarkdown) to a file: as Markdown, or as an A4 PDF laid
// out from that Markdown (QTextDocument::setMarkdown, printed to a QPdfWriter), so both say
// exactly the same. The Regions view and the drill dialog export through this.
namespace drill_report_export {

enum class Format { Markdown, Pdf };

// False with `error` set when the file cannot be written.
bool writeMarkdown(const DrillResult& drill, const QString& path, QString* error = nullptr);
bool writePdf(const DrillResult& drill, const QString& path, QString* error = nullptr);

// Asks where to save (a save dialog, window-modal so the console keeps updating), then writes.
// `done` gets a sentence for the status line: where it went, or why it could not.
void exportWithDialog(QWidget* parent, const DrillResult& drill, Format format,
                      std::function<void(const QString&)> done);

} // namespace drill_report_export

} // namespace switchboard
