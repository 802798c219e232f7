#include "AuditView.h"

#include "ActionClient.h"
#include "AuditModel.h"
#include "HealthDelegate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

// As the error banner's: a stale view must read as one in either theme.
const QString kStaleStyle = QStringLiteral(
    "QLabel { background: #fff4d6; border: 1px solid #d9a400; color: #4a3500; padding: 4px; }");
const QString kFreshStyle = QStringLiteral("QLabel { padding: 4px; }");

} // namespace

AuditView::AuditView(QWidget* parent)
    : QWidget(parent)
    , m_agents(new QComboBox(this))
    , m_filter(new QLineEdit(this))
    , m_refresh(new QPushButton(tr("&Refresh"), this))
    , m_older(new QPushButton(tr("Load &older"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new AuditModel(nullptr, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_delegate(new HealthDelegate(AuditModel::HealthRole, this)) {
    setObjectName(QStringLiteral("auditView"));
    m_agents->setObjectName(QStringLiteral("agentChooser"));
    m_agents->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_filter->setObjectName(QStringLiteral("auditFilter"));
    m_filter->setPlaceholderText(tr("Filter: any text in any column"));
    m_filter->setClearButtonEnabled(true);
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_refresh->setToolTip(tr("Fetch the newest entries (F5)"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_older->setObjectName(QStringLiteral("loadOlderButton"));
    m_older->setToolTip(tr("Fetch the page of entries before the last row"));
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Every column is searched, case-insensitively; rows keep the log's order (newest first).
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(m_delegate);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(AuditModel::DetailColumn, QHeaderView::Stretch);

    auto* agentLabel = new QLabel(tr("&Agent:"), this);
    agentLabel->setBuddy(m_agents);
    auto* controls = new QHBoxLayout;
    controls->addWidget(agentLabel);
    controls->addWidget(m_agents);
    controls->addWidget(m_filter, 1);
    controls->addWidget(m_refresh);
    controls->addWidget(m_older);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);

    connect(m_agents, &QComboBox::currentIndexChanged, this, &AuditView::onAgentChosen);
    connect(m_filter, &QLineEdit::textChanged, this, &AuditView::setFilterText);
    connect(m_refresh, &QPushButton::clicked, this, &AuditView::refresh);
    connect(m_older, &QPushButton::clicked, this, &AuditView::loadOlder);
    connect(m_model, &AuditModel::loaded, this, &AuditView::updateStatus);
    connect(m_model, &AuditModel::loadFailed, this, &AuditView::updateStatus);
    connect(m_model, &AuditModel::loadingChanged, this, &AuditView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AuditView::updateStatus);
    updateStatus();
}

void AuditView::setAgents(const QList<Agent>& agents) {
    const QString chosen = currentAgent();
    {
        // One choice at the end, not one per item added.
        const QSignalBlocker blocker(m_agents);
        m_agents->clear();
        m_clients.clear();
        for (const Agent& agent : agents) {
            m_agents->addItem(agent.first);
            m_clients.append(agent.second);
        }
    }
    const int keep = m_agents->findText(chosen);
    const int index = keep >= 0 ? keep : (agents.isEmpty() ? -1 : 0);
    m_agents->setCurrentIndex(index);
    // The same agent under a new client (reconnected) must be read afresh too.
    if (currentClient() != m_model->client() || index < 0)
        onAgentChosen(index);
}

bool AuditView::chooseClient(const ActionClient* client) {
    const auto index = m_clients.indexOf(client);
    if (index < 0)
        return false;
    if (index == m_agents->currentIndex())
        refresh();
    else
        m_agents->setCurrentIndex(static_cast<int>(index));
    return true;
}

ActionClient* AuditView::currentClient() const {
    const int index = m_agents->currentIndex();
    return index >= 0 && index < m_clients.size() ? m_clients.at(index).data() : nullptr;
}

QString AuditView::currentAgent() const {
    return m_agents->currentText();
}

void AuditView::onAgentChosen(int) {
    m_model->setClient(currentClient());
    m_model->loadNewest();
    updateStatus();
}

void AuditView::refresh() {
    m_model->loadNewest();
    updateStatus();
}

void AuditView::loadOlder() {
    m_model->loadOlder();
    updateStatus();
}

void AuditView::setFilterText(const QString& text) {
    if (m_filter->text() != text)
        m_filter->setText(text); // comes back here through textChanged
    m_proxy->setFilterFixedString(text);
    updateStatus();
}

void AuditView::setTheme(const Theme& theme) {
    m_delegate->setTheme(theme);
    m_table->viewport()->update();
}

QString AuditView::statusText() const {
    return m_status->text();
}

void AuditView::updateStatus() {
    const bool client = m_model->client() != nullptr;
    m_refresh->setEnabled(client && !m_model->isLoading());
    m_older->setEnabled(client && !m_model->isLoading() && m_model->canLoadOlder());

    QString text;
    if (!client) {
        text = tr("No agent to read an audit log from.");
    } else if (!m_model->errorText().isEmpty()) {
        text = m_model->loadedAt().isValid()
                   ? tr("Stale: failed to load: %1. Showing what was loaded at %2.")
                         .arg(m_model->errorText(),
                              m_model->loadedAt().toString(QStringLiteral("HH:mm:ss")))
                   : tr("Failed to load: %1").arg(m_model->errorText());
    } else if (m_model->isLoading() && !m_model->loadedAt().isValid()) {
        text = tr("Loading…");
    } else {
        const int shown = m_proxy->rowCount();
        const int held = m_model->rowCount();
        text = shown == held ? tr("%n entries, newest first", nullptr, held)
                             : tr("%1 of %n entries match the filter", nullptr, held).arg(shown);
        text += m_model->canLoadOlder() ? tr("; older ones with “Load older”")
                                        : tr("; the log begins here");
        if (m_model->loadedAt().isValid())
            text +=
                tr(". Loaded at %1.").arg(m_model->loadedAt().toString(QStringLiteral("HH:mm:ss")));
        if (m_model->isLoading())
            text += tr(" Loading…");
    }
    const std::optional<AuditChainStatus> chain = client ? m_model->chain() : std::nullopt;
    if (chain)
        text += QLatin1Char(' ') + chainText(*chain);
    m_status->setText(text);
    // A broken chain means the log was changed behind the agent's back: it must stand out.
    const bool alarming = !m_model->errorText().isEmpty() || (chain && !chain->intact);
    m_status->setStyleSheet(alarming ? kStaleStyle : kFreshStyle);
}

QString AuditView::chainText(const AuditChainStatus& chain) {
    if (chain.intact)
        return tr("Hash chain intact.");
    const QString where = chain.brokenSeq
                              ? tr("seq %1 (line %2)").arg(*chain.brokenSeq).arg(chain.brokenLine)
                              : tr("line %1").arg(chain.brokenLine);
    return tr("Hash chain broken at %1: %2. Check the log's file with “switchboard-audit "
              "verify”.")
        .arg(where, chain.brokenReason);
}

} // namespace switchboard
