#pragma once

#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "Health.h"
#include "PrometheusAgentView.h"
#include "StreamEvent.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <optional>

namespace switchboard {

// One row per agent: who it is, how the console's connection to it stands, how its probes are,
// and its request rate. Fed only with values (snapshots, events, connection states) through the
// entry points below; it knows nothing of sockets or JSON.
class FleetModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        InstanceColumn,
        RegionColumn,
        VersionColumn,
        ConnectionColumn,
        ProbesColumn,
        ReplicationColumn, // the replicas' health in a few words; empty without replication
        RateColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        AgentIdRole = Qt::UserRole + 1, // QString, the key given to addAgent
        HealthRole,          // switchboard::Health of the cell (the row's in most columns)
        ConnectionStateRole, // switchboard::ConnectionState
        StaleSinceRole,      // QDateTime of the last message; invalid before any
        RatePerSecondRole,   // double
        ErrorTextRole,       // QString, why the connection is not live
    };
    Q_ENUM(Role)

    explicit FleetModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Adds a row in state Connecting; `label` names it until the agent says its instance name.
    void addAgent(const QString& agentId, const QString& label = {});
    void removeAgent(const QString& agentId);
    // Replaces everything known about the agent (adds the row if needed).
    void updateAgent(const QString& agentId, const AgentSnapshot& snapshot);
    // Folds one change into the agent's last snapshot; ignored for an agent with no snapshot.
    void applyEvent(const QString& agentId, const StreamEvent& event);
    void setConnectionState(const QString& agentId, ConnectionState state,
                            const QDateTime& staleSince = {}, const QString& errorText = {});
    // One fleet round read through Prometheus (docs/metrics.md): each view replaces its agent's
    // row (added when new) and marks it as read through Prometheus, so its Connection cell
    // speaks of scrapes. One insertion and one dataChanged for the whole batch: a round of 500
    // agents is one relayout, not 500.
    void updateFromPrometheus(const QList<PrometheusAgentView>& views);
    // The row reads its agent's own stream again (the fleet went back to direct polling).
    void clearPrometheus(const QString& agentId);
    bool isThroughPrometheus(const QString& agentId) const;

    int rowOfAgent(const QString& agentId) const; // -1 if unknown
    QString agentId(int row) const;
    QStringList agentIds() const;
    // The instance name when known, else the label, else the id.
    QString displayName(const QString& agentId) const;
    std::optional<AgentSnapshot> snapshot(const QString& agentId) const;
    ConnectionState connectionState(const QString& agentId) const;

    // The summary the Probes column shows, e.g. "postgres.primary up 0.8 ms · redis down: ...".
    static QString probeSummary(const QList<ProbeResult>& probes);

private:
    struct AgentRow {
        AgentRow(QString id, QString label)
            : id(std::move(id))
            , label(std::move(label)) {}
        QString id;
        QString label;
        std::optional<AgentSnapshot> snapshot;
        ConnectionState state = ConnectionState::Connecting;
        QDateTime staleSince;
        QString errorText;
        bool throughPrometheus = false;
        QDateTime lastScrape; // through Prometheus: its last scrape of the agent
    };

    static Health probeHealth(const AgentRow& row);
    QString connectionText(const AgentRow& row) const;
    QVariant displayData(const AgentRow& row, int column) const;
    void emitRowChanged(int row);
    void reindex();

    QList<AgentRow> m_rows;
    QHash<QString, int> m_rowOfAgent; // agent id → row: a fleet of hundreds looks up often
};

} // namespace switchboard
