#pragma once

#include "AuditChainStatus.h"
#include "Theme.h"

#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace switchboard {

class ActionClient;
class AuditModel;
class HealthDelegate;

// One agent's audit log at a time: who planned, confirmed, cancelled or was refused what, and
// how it ended, newest first. The operator picks the agent, filters by any text, refreshes and
// pages to older entries; refusals (amber) and failures (red) stand out, and a fetch that fails
// says so above the rows it leaves in place. The status line also says whether the log's hash
// chain is intact or where it breaks.
class AuditView : public QWidget {
    Q_OBJECT
public:
    using Agent = QPair<QString, ActionClient*>; // label for people, its action client

    explicit AuditView(QWidget* parent = nullptr);

    // The agents to choose from. The chosen one stays chosen when it is still listed (by
    // label); otherwise the first is chosen and its newest page loaded.
    void setAgents(const QList<Agent>& agents);
    ActionClient* currentClient() const;
    // Chooses the agent with this client (and loads its newest page); false when none has it.
    bool chooseClient(const ActionClient* client);
    QString currentAgent() const;

    AuditModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    // The line above the table: what is shown and when it was loaded, or why it is stale, and
    // the state of the log's hash chain.
    QString statusText() const;
    // "Hash chain intact." or "Hash chain broken at seq 4 (line 4): <why>. …"
    static QString chainText(const AuditChainStatus& chain);

    void setTheme(const Theme& theme);

public slots:
    void refresh();
    void loadOlder();
    void setFilterText(const QString& text);

private:
    void onAgentChosen(int index);
    void updateStatus();

    QComboBox* m_agents;
    QLineEdit* m_filter;
    QPushButton* m_refresh;
    QPushButton* m_older;
    QLabel* m_status;
    QTableView* m_table;
    AuditModel* m_model;
    QSortFilterProxyModel* m_proxy;
    HealthDelegate* m_delegate;
    QList<QPointer<ActionClient>> m_clients; // parallel to m_agents' items
};

} // namespace switchboard
