#pragma once

#include "ReviewReport.h"

#include <QString>
#include <functional>

namespace switchboard {

class MainWindow;

// The review report of what the window shows now (File → Export review report…,
// docs/presentation.md#the-review-report): the scorecard as graded now, then pictures of the
// topology map and the main views, each rendered at the size of the window's tab area. The
// window is left as it was: the tab shown before is shown again.
namespace review_report_export {

ReviewReport collect(MainWindow* window);

// Collects and writes the PDF. False with `error` naming the path when it cannot be written.
bool writeReviewReport(MainWindow* window, const QString& path, QString* error = nullptr);

// Asks where to save (a save dialog, window-modal so the console keeps updating), then writes.
// `done` gets a sentence for the status line: where it went, or why it could not.
void exportWithDialog(MainWindow* window, std::function<void(const QString&)> done);

} // namespace review_report_export

} // namespace switchboard
