#include "MetricBrowser.h"

#include "AgentSeries.h"
#include "TimeSeriesStore.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>
#include <algorithm>

namespace switchboard {

MetricBrowser::MetricBrowser(const TimeSeriesStore* store, QWidget* parent)
    : QWidget(parent)
    , m_store(store)
    , m_name(new QLineEdit(this))
    , m_labels(new QLineEdit(this))
    , m_labelError(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_add(new QPushButton(tr("Add chart"), this)) {
    m_name->setObjectName(QStringLiteral("metricNameFilter"));
    m_name->setPlaceholderText(tr("Filter metrics by name"));
    m_name->setClearButtonEnabled(true);
    m_labels->setObjectName(QStringLiteral("metricLabelFilter"));
    m_labels->setPlaceholderText(tr("Labels: agent=… route!=…"));
    m_labels->setToolTip(tr("Keeps the metrics with a series whose labels match; new charts show "
                            "only those series. Terms: name=value or name!=value, separated by "
                            "commas or spaces."));
    m_labels->setClearButtonEnabled(true);
    m_labelError->setObjectName(QStringLiteral("metricLabelError"));
    m_labelError->setWordWrap(true);
    m_labelError->hide();
    m_list->setObjectName(QStringLiteral("metricList"));
    m_list->setUniformItemSizes(true);
    m_add->setObjectName(QStringLiteral("addMetricChart"));
    m_add->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_name);
    layout->addWidget(m_labels);
    layout->addWidget(m_labelError);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_add);

    connect(m_name, &QLineEdit::textChanged, this, &MetricBrowser::refresh);
    connect(m_labels, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_labelFilter = LabelFilter::parse(text);
        m_labelError->setText(m_labelFilter.error());
        m_labelError->setVisible(!m_labelFilter.error().isEmpty());
        refresh();
    });
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { choose(item->data(Qt::UserRole).toString()); });
    connect(m_list, &QListWidget::currentItemChanged, this,
            [this](QListWidgetItem* item) { m_add->setEnabled(item != nullptr); });
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (const QListWidgetItem* item = m_list->currentItem())
            choose(item->data(Qt::UserRole).toString());
    });
    refresh();
}

void MetricBrowser::setCatalog(const QList<MetricInfo>& catalog) {
    if (catalog == m_catalog)
        return;
    m_catalog = catalog;
    m_relist = true; // the same names may now have a type, help and unit
    refresh();
}

MetricInfo MetricBrowser::info(const QString& metricName) const {
    const auto known =
        std::find_if(m_catalog.cbegin(), m_catalog.cend(),
                     [&](const MetricInfo& info) { return info.name == metricName; });
    if (known != m_catalog.cend())
        return *known;
    if (metricName == requestRateSeries(QString()).metricName())
        return {metricName, QStringLiteral("gauge"),
                tr("Requests per second each agent reports on its stream"),
                MetricInfo::StoredAs::RatePerSecond};
    return {metricName, QStringLiteral("untyped"), QString(), MetricInfo::StoredAs::Value};
}

void MetricBrowser::setNameFilter(const QString& text) {
    m_name->setText(text);
}

void MetricBrowser::setLabelFilter(const QString& text) {
    m_labels->setText(text);
}

bool MetricBrowser::passesLabels(const QString& metricName) const {
    if (m_labelFilter.isEmpty())
        return true;
    const QList<SeriesKey> keys = m_store->seriesOf(metricName);
    return std::any_of(keys.cbegin(), keys.cend(),
                       [this](const SeriesKey& key) { return m_labelFilter.matches(key); });
}

QStringList MetricBrowser::visibleMetrics() const {
    QStringList names;
    for (int row = 0; row < m_list->count(); ++row)
        names.append(m_list->item(row)->data(Qt::UserRole).toString());
    return names;
}

void MetricBrowser::refresh() {
    QSet<QString> all;
    for (const MetricInfo& info : std::as_const(m_catalog))
        all.insert(info.name);
    for (const QString& name : m_store->metricNames())
        all.insert(name);
    QStringList names;
    for (const QString& name : std::as_const(all))
        if (name.contains(m_name->text().trimmed(), Qt::CaseInsensitive) && passesLabels(name))
            names.append(name);
    std::sort(names.begin(), names.end());
    if (!m_relist && names == visibleMetrics())
        return;
    m_relist = false;

    const QString current =
        m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).toString() : QString();
    m_list->clear();
    for (const QString& name : std::as_const(names)) {
        const MetricInfo metric = info(name);
        auto* item = new QListWidgetItem(
            metric.unitSuffix().isEmpty()
                ? QStringLiteral("%1  · %2").arg(name, metric.type)
                : QStringLiteral("%1  · %2, %3").arg(name, metric.type, metric.unitSuffix()),
            m_list);
        item->setData(Qt::UserRole, name);
        item->setToolTip(metric.help.isEmpty()
                             ? QStringLiteral("%1 (%2)").arg(name, metric.type)
                             : QStringLiteral("%1 (%2)\n%3").arg(name, metric.type, metric.help));
        if (name == current)
            m_list->setCurrentItem(item);
    }
}

void MetricBrowser::choose(const QString& metricName) {
    emit metricChosen(info(metricName), m_labelFilter);
}

} // namespace switchboard
