#include "ShardsView.h"

#include "FleetPageParts.h"
#include "HealthDelegate.h"
#include "ShardHeatmap.h"
#include "ShardNodeBars.h"
#include "ShardsModel.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace switchboard {

namespace {

// The words beside a max/mean figure, so the number needs no background to read.
QString skewVerdict(const SkewFigures& skew) {
    if (skew.maxOverMean <= 0.0)
        return QObject::tr("no data");
    if (skew.maxOverMean <= 1.10)
        return QObject::tr("even");
    if (skew.maxOverMean <= 1.25)
        return QObject::tr("slightly uneven");
    return QObject::tr("skewed");
}

QString skewLine(const QString& what, const SkewFigures& skew) {
    const QString line = shardSkewText(what, skew).toHtmlEscaped();
    const QString verdict = skewVerdict(skew);
    // Over 1.25 the largest node carries a quarter more than its share: say so in bold.
    return skew.maxOverMean > 1.25 ? QStringLiteral("%1 — <b>%2</b>").arg(line, verdict)
                                   : QStringLiteral("%1 — %2").arg(line, verdict);
}

} // namespace

ShardsView::ShardsView(ShardsModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_staleBanner(new StaleBanner(QStringLiteral("shardsStaleBanner"), this))
    , m_emptyLabel(new QLabel(this))
    , m_content(new QWidget(this))
    , m_title(new QLabel(m_content))
    , m_clusters(new QComboBox(m_content))
    , m_intensity(new QButtonGroup(this))
    , m_rebalance(new QPushButton(tr("Rebalance…"), m_content))
    , m_heatmap(new ShardHeatmap(m_content))
    , m_bars(new ShardNodeBars(m_content))
    , m_skew(new QLabel(m_content))
    , m_moves(new QLabel(m_content))
    , m_table(new QTableView(m_content))
    , m_delegate(new HealthDelegate(ShardsModel::HealthRole, this)) {
    setObjectName(QStringLiteral("shards"));
    setUpEmptyLabel(m_emptyLabel, QStringLiteral("shardsEmpty"),
                    tr("No agent reports shards yet. Agents report them when their "
                       "configuration names shard nodes (shards.nodes)."));

    m_title->setObjectName(QStringLiteral("shardsTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clusters->setObjectName(QStringLiteral("shardClusters"));
    m_clusters->setToolTip(tr("Shard clusters reported by the agents, by catalog"));
    auto* byRows = new QRadioButton(tr("Rows"), m_content);
    byRows->setObjectName(QStringLiteral("shadeByRows"));
    auto* byOps = new QRadioButton(tr("Ops/s"), m_content);
    byOps->setObjectName(QStringLiteral("shadeByOps"));
    m_intensity->addButton(byRows, static_cast<int>(ShardHeatmap::Intensity::Rows));
    m_intensity->addButton(byOps, static_cast<int>(ShardHeatmap::Intensity::Ops));
    byRows->setChecked(true);
    connect(m_intensity, &QButtonGroup::idClicked, this,
            [this](int id) { m_heatmap->setIntensity(static_cast<ShardHeatmap::Intensity>(id)); });
    m_rebalance->setObjectName(QStringLiteral("rebalanceButton"));
    m_rebalance->setToolTip(tr("Plan moving buckets between nodes; nothing moves before you "
                               "confirm"));
    connect(m_rebalance, &QPushButton::clicked, this, [this] {
        if (!m_model->current().sourceAgentId.isEmpty())
            emit requestRebalance(m_model->current().sourceAgentId);
    });

    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_clusters);
    header->addSpacing(12);
    header->addWidget(new QLabel(tr("Shade by:"), m_content));
    header->addWidget(byRows);
    header->addWidget(byOps);
    header->addSpacing(12);
    header->addWidget(m_rebalance);

    m_skew->setObjectName(QStringLiteral("shardsSkew"));
    m_skew->setTextFormat(Qt::RichText);
    m_skew->setWordWrap(true);
    m_moves->setObjectName(QStringLiteral("shardsMoves"));
    m_moves->setWordWrap(true);
    auto* side = new QWidget(m_content);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    auto* skewBox = new QGroupBox(tr("Skew over the nodes"), side);
    auto* skewLayout = new QVBoxLayout(skewBox);
    skewLayout->addWidget(m_skew);
    skewLayout->addWidget(m_moves);
    sideLayout->addWidget(skewBox);
    sideLayout->addWidget(m_bars);
    sideLayout->addStretch(1);

    auto* top = new QWidget(m_content);
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_heatmap, 3);
    topLayout->addWidget(side, 2);

    setUpReadOnlyTable(m_table, QStringLiteral("shardsTable"), 110);
    m_table->setModel(model);
    m_table->setItemDelegate(m_delegate);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The figures stay together on the right of the names; the target takes the slack.
    m_table->horizontalHeader()->setSectionResizeMode(ShardsModel::TargetColumn,
                                                      QHeaderView::Stretch);

    layOutChartsOverTable(m_content, header, top, m_table);

    stackFleetPage(this, m_staleBanner, m_emptyLabel, m_content);

    connect(m_clusters, &QComboBox::activated, this, [this](int index) {
        m_model->setCurrentCluster(m_clusters->itemData(index).toString());
    });
    connect(model, &ShardsModel::clusterChanged, this, &ShardsView::refresh);
    setTheme(m_theme);
    refresh();
}

void ShardsView::setTheme(const Theme& theme) {
    m_theme = theme;
    m_delegate->setTheme(theme);
    m_heatmap->setTheme(theme);
    m_bars->setTheme(theme);
    m_staleBanner->setTheme(theme);
    m_table->viewport()->update();
}

void ShardsView::setIntensityOps(bool ops) {
    const auto intensity = ops ? ShardHeatmap::Intensity::Ops : ShardHeatmap::Intensity::Rows;
    m_intensity->button(static_cast<int>(intensity))->setChecked(true);
    m_heatmap->setIntensity(intensity);
}

void ShardsView::refresh() {
    const ShardCluster& cluster = m_model->current();
    const bool empty = cluster.isEmpty();
    m_emptyLabel->setVisible(empty);
    m_content->setVisible(!empty);
    showKeyChoice(m_clusters, m_model->clusterKeys(), m_model->currentCluster());
    m_heatmap->setCluster(cluster);
    m_bars->setCluster(cluster);
    m_rebalance->setEnabled(!empty && !cluster.sourceAgentId.isEmpty());

    if (!empty) {
        const QString reporters =
            cluster.reporters.size() > 1
                ? tr("%1 (+%2)").arg(cluster.reporters.first()).arg(cluster.reporters.size() - 1)
                : cluster.reporters.value(0);
        m_title->setText(tr("<b>Shard cluster %1</b> · map version %2 · %3 buckets on %4 nodes · "
                            "reported by %5")
                             .arg(cluster.catalog.toHtmlEscaped())
                             .arg(cluster.version)
                             .arg(cluster.bucketCount)
                             .arg(cluster.nodes.size())
                             .arg(reporters.toHtmlEscaped()));
        m_title->setToolTip(cluster.reporters.join(QLatin1Char('\n')));
        m_skew->setText(QStringList{skewLine(tr("rows"), cluster.skew.rows),
                                    skewLine(tr("bytes"), cluster.skew.bytes),
                                    skewLine(tr("load"), cluster.skew.load)}
                            .join(QStringLiteral("<br>")));
        const int active = cluster.activeMoveCount();
        const auto waiting =
            std::count_if(cluster.moves.begin(), cluster.moves.end(), [](const ShardMove& move) {
                return move.phase == QLatin1String("pending");
            });
        const qsizetype finished = cluster.moves.size() - active;
        m_moves->setText(cluster.moves.isEmpty()
                             ? tr("No rebalance running.")
                             : tr("Rebalance: %1 of %2 moves finished, %3 moving, %4 waiting.")
                                   .arg(finished)
                                   .arg(cluster.moves.size())
                                   .arg(active - waiting)
                                   .arg(waiting));
    }

    // Old figures look exactly like current ones: say it in words above the view.
    if (cluster.stale) {
        const QString cause =
            cluster.catalogStatus == protocol::ProbeStatus::Down && !cluster.catalogError.isEmpty()
                ? tr("the catalog does not answer (%1)").arg(cluster.catalogError)
                : tr("the agent is unreachable");
        m_staleBanner->setText(
            cluster.staleSince.isValid()
                ? tr("Shard data is stale since %1: %2. The figures below are the last ones seen.")
                      .arg(cluster.staleSince.toString(QStringLiteral("HH:mm:ss")), cause)
                : tr("Shard data is stale: %1. The figures below are the last ones seen.")
                      .arg(cause));
    }
    m_staleBanner->setVisible(cluster.stale);
}

void ShardsView::selectNode(const QString& cluster, const QString& node) {
    m_model->setCurrentCluster(cluster); // the cluster chooser follows the model
    const int row = m_model->current().nodeIndex(node);
    if (row < 0 || row >= m_model->rowCount())
        return;
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
}

} // namespace switchboard
