#pragma once

#include "LabelFilter.h"
#include "MetricInfo.h"

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace switchboard {

class TimeSeriesStore;

// The Metrics view's list of metrics: every metric the catalog describes or the store holds,
// narrowed by a text filter on the name and a label filter (`agent=…, route!=…`: a metric stays
// when at least one of its series passes). Each row says the metric's type and unit, its help
// is the tooltip. Choosing one (double-click, Enter or "Add chart") asks for a chart of it with
// the label filter as typed.
class MetricBrowser : public QWidget {
    Q_OBJECT
public:
    explicit MetricBrowser(const TimeSeriesStore* store, QWidget* parent = nullptr);

    // What the scraper knows of each metric (Fleet::metricCatalog()); metrics in the store but
    // not in the catalog are listed too, with what the console itself knows of them.
    void setCatalog(const QList<MetricInfo>& catalog);
    // The catalog's entry, else a plain one (the stream's requests/s is known by name).
    MetricInfo info(const QString& metricName) const;

    void setNameFilter(const QString& text);
    void setLabelFilter(const QString& text);
    LabelFilter labelFilter() const { return m_labelFilter; }
    // Names listed now, in order.
    QStringList visibleMetrics() const;
    // Lists again: the store gained metrics or series. Keeps the selection.
    void refresh();
    // Asks for a chart of `metricName` with the current label filter.
    void choose(const QString& metricName);

    QListWidget* list() const { return m_list; }

signals:
    void metricChosen(const switchboard::MetricInfo& info, const switchboard::LabelFilter& filter);

private:
    bool passesLabels(const QString& metricName) const;

    const TimeSeriesStore* m_store;
    QList<MetricInfo> m_catalog;
    bool m_relist = false; // the catalog changed: rows are rebuilt even for the same names
    LabelFilter m_labelFilter;
    QLineEdit* m_name;
    QLineEdit* m_labels;
    QLabel* m_labelError;
    QListWidget* m_list;
    QPushButton* m_add;
};

} // namespace switchboard
