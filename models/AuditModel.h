#pragma once

#include "AuditEntry.h"
#include "AuditPage.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QSet>
#include <optional>

namespace switchboard {

class ActionClient;
struct ActionError;

// One agent's audit log, newest first, read page by page through an ActionClient. Refreshing
// merges the newest page into what is shown without duplicates (entries are identified by
// their seq); "load older" appends the next page. A failed fetch keeps the rows and says why.
class AuditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        EventColumn,
        WhoColumn,
        ActionColumn,
        TargetColumn,
        ParametersColumn,
        OutcomeColumn,
        DetailColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // How an entry ended, for colouring: refusals and failures stand out.
    enum class Outcome { Normal, Refused, Failed };
    Q_ENUM(Outcome)

    enum Role {
        OutcomeRole = Qt::UserRole + 1, // Outcome as int
        HealthRole,                     // switchboard::Health: Down failed, Unknown refused,
                                        // nothing for the rest (so HealthDelegate leaves it)
        SeqRole,                        // qint64
        TimeRole,                       // QDateTime, local
    };
    Q_ENUM(Role)

    explicit AuditModel(ActionClient* client = nullptr, QObject* parent = nullptr);

    // Another agent's log: the rows go, nothing is fetched until loadNewest().
    void setClient(ActionClient* client);
    ActionClient* client() const { return m_client; }
    int pageSize() const { return m_pageSize; }
    void setPageSize(int entries) { m_pageSize = qBound(1, entries, 1000); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Row 0 is the newest.
    AuditEntry entry(int row) const { return m_entries.at(row); }
    // There are older entries than the last row (and the newest page has been read).
    bool canLoadOlder() const { return m_nextBefore.has_value(); }
    bool isLoading() const { return m_newestRequest != 0 || m_olderRequest != 0; }
    // Why the last fetch failed; empty once one succeeds.
    QString errorText() const { return m_errorText; }
    // When a page last arrived; invalid before the first.
    QDateTime loadedAt() const { return m_loadedAt; }
    // The log's hash chain as of the last page; none before one, or from an agent without it.
    std::optional<AuditChainStatus> chain() const { return m_chain; }

    static Outcome outcomeOf(const AuditEntry& entry);
    // {"mode": "force_open", "expiry_s": 60} → "expiry_s=60, mode=force_open"
    static QString compactParams(const QJsonObject& params);

    // The entry points for pages (the client's answers arrive through them).
    // The newest page: merged in when it joins up with the rows held, else it replaces them
    // (more entries arrived than a page holds, and a hole in the middle would go unseen).
    void mergeNewest(const AuditPage& page);
    // The page older than the last row.
    void appendOlder(const AuditPage& page);

public slots:
    void loadNewest();
    void loadOlder();
    void clear();

signals:
    void loadingChanged(bool loading);
    void loaded();
    void loadFailed(const QString& message);

private:
    void onAuditFetched(quint64 requestId, const AuditPage& page);
    void onRequestFailed(quint64 requestId, const ActionError& error);
    void insertMissing(const QList<AuditEntry>& entries);
    void setRequests(quint64 newest, quint64 older);

    QPointer<ActionClient> m_client;
    int m_pageSize = 100;
    QList<AuditEntry> m_entries; // by seq, newest first
    QSet<qint64> m_seqs;
    std::optional<qint64> m_nextBefore;
    quint64 m_newestRequest = 0;
    quint64 m_olderRequest = 0;
    QString m_errorText;
    QDateTime m_loadedAt;
    std::optional<AuditChainStatus> m_chain;
};

} // namespace switchboard
