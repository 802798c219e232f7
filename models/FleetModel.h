#pragma once

#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "Health.h"
#include "StreamEvent.h"

#include <QAbstractTableModel>
#include <QDateTime>
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
        QString id;
        QString label;
        std::optional<AgentSnapshot> snapshot;
        ConnectionState state = ConnectionState::Connecting;
        QDateTime staleSince;
        QString errorText;
    };

    static Health probeHealth(const AgentRow& row);
    QString connectionText(const AgentRow& row) const;
    QVariant displayData(const AgentRow& row, int column) const;
    void emitRowChanged(int row);

    QList<AgentRow> m_rows;
};

} // namespace switchboard
