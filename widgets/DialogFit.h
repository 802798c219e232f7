// Shared by the action dialogs (override, rebalance).
#pragma once

#include <QLayout>
#include <QWidget>
#include <initializer_list>

namespace switchboard {

// Parts of an action dialog appear and change size while it is open (the plan, a result, an
// error). Changes made while a part was hidden can leave cached layout sizes behind, and the
// dialog would then squeeze its parts over each other: recompute `stale` layouts and the
// dialog's own, growing the dialog. A window's minimum size ignores word-wrapped labels (height
// for width), so it grows to what the wrapped text needs at the current width too.
inline void growToFitContents(QWidget* dialog, std::initializer_list<QLayout*> stale) {
    for (QLayout* layout : stale) {
        layout->invalidate();
        layout->activate();
    }
    QLayout* own = dialog->layout();
    own->invalidate();
    own->activate();
    const int needed = own->hasHeightForWidth() ? own->totalHeightForWidth(dialog->width())
                                                : own->totalSizeHint().height();
    if (dialog->height() < needed)
        dialog->resize(dialog->width(), needed);
}

} // namespace switchboard
