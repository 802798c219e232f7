#pragma once

#include "CacheInvalidation.h"

#include <QGroupBox>

class QLabel;
class QListWidget;

namespace switchboard {

// What an invalidation plan found before anything is deleted: how many keys match (of how many
// scanned), up to 20 of them, the time it would take at the chosen rate, and a warning when the
// selection matches every key.
class InvalidatePreview : public QGroupBox {
    Q_OBJECT
public:
    explicit InvalidatePreview(QWidget* parent = nullptr);

    void setDetails(const InvalidatePlanDetails& details, int rate);
    void clear();

    QLabel* countLabel() const { return m_count; }
    QListWidget* sampleList() const { return m_sample; }
    QLabel* estimateLabel() const { return m_estimate; }
    QLabel* matchAllLabel() const { return m_matchAll; }

private:
    QLabel* m_count;
    QLabel* m_sampleCaption;
    QListWidget* m_sample;
    QLabel* m_estimate;
    QLabel* m_matchAll;
};

// "1 key", "1,234 keys".
QString keysText(qint64 count);

} // namespace switchboard
