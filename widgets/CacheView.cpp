#include "CacheView.h"

#include "CacheHitRateChart.h"
#include "CacheModel.h"
#include "CacheNowPanel.h"
#include "CacheRedisPanel.h"
#include "FleetPageParts.h"
#include "HealthDelegate.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

void setUpTable(QTableView* table, const QString& name, int minimumHeight) {
    setUpReadOnlyTable(table, name, minimumHeight);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

QGroupBox* boxed(const QString& title, QWidget* inside, QWidget* parent) {
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(inside);
    return box;
}

} // namespace

CacheView::CacheView(CacheModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_staleBanner(new StaleBanner(QStringLiteral("cacheStaleBanner"), this))
    , m_emptyLabel(new QLabel(this))
    , m_content(new QWidget(this))
    , m_title(new QLabel(m_content))
    , m_targets(new QComboBox(m_content))
    , m_invalidate(new QPushButton(tr("Invalidate…"), m_content))
    , m_chart(new CacheHitRateChart(model, m_content))
    , m_now(new CacheNowPanel(m_content))
    , m_redis(new CacheRedisPanel(m_content))
    , m_instances(new QTableView(m_content))
    , m_prefixes(new QTableView(m_content))
    , m_instanceDelegate(new HealthDelegate(CacheModel::HealthRole, this))
    , m_prefixDelegate(new HealthDelegate(CachePrefixModel::HealthRole, this)) {
    setObjectName(QStringLiteral("cache"));
    setUpEmptyLabel(m_emptyLabel, QStringLiteral("cacheEmpty"),
                    tr("No agent reports a cache yet. Agents report it when their "
                       "configuration has a cache section (a tiered cache: L1 in process, "
                       "L2 in Redis)."));

    m_title->setObjectName(QStringLiteral("cacheTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_targets->setObjectName(QStringLiteral("cacheTargets"));
    m_targets->setToolTip(tr("Redis targets reported by the agents"));
    m_invalidate->setObjectName(QStringLiteral("invalidateButton"));
    m_invalidate->setToolTip(tr("Preview which keys a key, prefix or pattern selects, then "
                                "delete them from Redis and every instance's L1"));
    connect(m_invalidate, &QPushButton::clicked, this, [this] {
        if (!m_model->current().sourceAgentId.isEmpty())
            emit requestInvalidate(m_model->current().sourceAgentId);
    });
    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_targets);
    header->addSpacing(12);
    header->addWidget(m_invalidate);

    m_chart->setObjectName(QStringLiteral("cacheHitRateChart"));
    setUpTable(m_prefixes, QStringLiteral("cachePrefixesTable"), 100);
    m_prefixes->setModel(model->prefixes());
    m_prefixes->setItemDelegate(m_prefixDelegate);
    m_prefixes->horizontalHeader()->setSectionResizeMode(CachePrefixModel::PrefixColumn,
                                                         QHeaderView::Stretch);
    // Beside the chart: the rates now, Redis, and the prefixes of that Redis.
    auto* side = new QWidget(m_content);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_now);
    sideLayout->addWidget(m_redis);
    sideLayout->addWidget(
        boxed(tr("Prefixes (hits and misses summed over the instances)"), m_prefixes, side), 1);
    side->setMinimumWidth(440);
    auto* top = new QWidget(m_content);
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_chart, 3);
    topLayout->addWidget(side, 2);

    // Below, the whole width: a row per instance has many figures.
    setUpTable(m_instances, QStringLiteral("cacheInstancesTable"), 130);
    m_instances->setModel(model);
    m_instances->setItemDelegate(m_instanceDelegate);
    m_instances->horizontalHeader()->setSectionResizeMode(CacheModel::InvalidationColumn,
                                                          QHeaderView::Stretch);
    QSplitter* splitter = layOutChartsOverTable(m_content, header, top,
                                                boxed(tr("Instances"), m_instances, m_content));
    // Room for two instances and the totals before a scroll bar.
    splitter->setSizes({560, 190});

    stackFleetPage(this, m_staleBanner, m_emptyLabel, m_content);

    connect(m_targets, &QComboBox::activated, this, [this](int index) {
        m_model->setCurrentTarget(m_targets->itemData(index).toString());
    });
    connect(model, &CacheModel::cacheChanged, this, &CacheView::refresh);
    setTheme(m_theme);
    refresh();
}

void CacheView::setTheme(const Theme& theme) {
    m_theme = theme;
    m_instanceDelegate->setTheme(theme);
    m_prefixDelegate->setTheme(theme);
    m_chart->setTheme(theme);
    m_now->setTheme(theme);
    m_redis->setTheme(theme);
    m_staleBanner->setTheme(theme);
    m_instances->viewport()->update();
    m_prefixes->viewport()->update();
}

void CacheView::refresh() {
    const CacheTargetSummary& summary = m_model->current();
    const bool empty = summary.isEmpty();
    m_emptyLabel->setVisible(empty);
    m_content->setVisible(!empty);
    showKeyChoice(m_targets, m_model->targetKeys(), m_model->currentTarget());
    m_invalidate->setEnabled(!empty && !summary.sourceAgentId.isEmpty());
    if (!empty) {
        const QString reporters =
            summary.reporters.size() > 1
                ? tr("%1 (+%2)").arg(summary.reporters.first()).arg(summary.reporters.size() - 1)
                : summary.reporters.value(0);
        const QString target = summary.target.isEmpty() ? summary.key : summary.target;
        const QString prefixes = summary.prefixes.size() == 1
                                     ? tr("1 prefix")
                                     : tr("%1 prefixes").arg(summary.prefixes.size());
        m_title->setText(tr("<b>Cache on Redis %1</b> · %2 · reported by %3")
                             .arg(target.toHtmlEscaped(), prefixes, reporters.toHtmlEscaped()));
        m_title->setToolTip(summary.reporters.join(QLatin1Char('\n')));
        m_now->setSummary(summary);
        m_redis->setSummary(summary);
    }
    // Old figures look exactly like current ones: say it in words above the view.
    if (summary.stale) {
        m_staleBanner->setText(
            summary.staleSince.isValid()
                ? tr("Cache data is stale since %1: the agent is unreachable. The figures below "
                     "are the last ones seen.")
                      .arg(summary.staleSince.toString(QStringLiteral("HH:mm:ss")))
                : tr("Cache data is stale: the agent is unreachable. The figures below are the "
                     "last ones seen."));
    }
    m_staleBanner->setVisible(summary.stale);
}

void CacheView::showTarget(const QString& key) {
    m_model->setCurrentTarget(key); // the target chooser follows the model
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString agentId = m_model->index(row, 0).data(CacheModel::AgentIdRole).toString();
        if (!agentId.isEmpty() && m_model->targetOf(agentId) == key) {
            m_instances->selectRow(row);
            return;
        }
    }
}

} // namespace switchboard
