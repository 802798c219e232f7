#pragma once

#include "CacheInvalidation.h"

#include <QGroupBox>
#include <QList>
#include <QPair>

class QLabel;
class QTableWidget;

namespace switchboard {

// The L1 acknowledgements of a finished invalidation, one row per instance: acknowledged (and
// how many entries it dropped) or not. The result names only who acknowledged and how many did
// not; the instances the console knows to be listening (`subscribers`) name the silent ones.
class InvalidateAcksView : public QGroupBox {
    Q_OBJECT
public:
    enum Column { InstanceColumn, AckColumn, RemovedColumn, ColumnCount };

    explicit InvalidateAcksView(QWidget* parent = nullptr);

    // `subscribers`: instance names and whether each listens on the channel, from the model.
    void setResult(const InvalidateResult& result, const QList<QPair<QString, bool>>& subscribers);
    void clear();

    QTableWidget* table() const { return m_table; }
    QLabel* summaryLabel() const { return m_summary; }

private:
    QLabel* m_summary;
    QTableWidget* m_table;
};

} // namespace switchboard
