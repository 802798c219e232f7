#include "AuditModel.h"

#include "ActionClient.h"
#include "Health.h"
#include "ProtocolNames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>
#include <algorithm>
#include <switchboard/protocol.h>

namespace switchboard {

AuditModel::AuditModel(ActionClient* client, QObject* parent)
    : QAbstractTableModel(parent) {
    setClient(client);
}

void AuditModel::setClient(ActionClient* client) {
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    setRequests(0, 0);
    clear();
    if (!client)
        return;
    connect(client, &ActionClient::auditFetched, this, &AuditModel::onAuditFetched);
    connect(client, &ActionClient::requestFailed, this,
            [this](quint64 requestId, ActionClient::Operation, const ActionError& error) {
                onRequestFailed(requestId, error);
            });
}

void AuditModel::clear() {
    beginResetModel();
    m_entries.clear();
    m_seqs.clear();
    m_nextBefore.reset();
    endResetModel();
    m_errorText.clear();
    m_loadedAt = {};
    m_chain.reset();
}

int AuditModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

AuditModel::Outcome AuditModel::outcomeOf(const AuditEntry& entry) {
    if (entry.event == qtName(protocol::audit_event::kRefused))
        return Outcome::Refused;
    if (entry.outcome == qtName(protocol::job_state::kFailed))
        return Outcome::Failed;
    return Outcome::Normal;
}

QString AuditModel::compactParams(const QJsonObject& params) {
    QStringList parts;
    // QJsonObject iterates its keys sorted, so the same parameters always read the same way.
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        const QJsonValue value = it.value();
        QString text;
        if (value.isString())
            text = value.toString();
        else if (value.isDouble())
            text = QString::number(value.toDouble());
        else if (value.isBool())
            text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (value.isNull())
            text = QStringLiteral("null");
        else if (value.isArray())
            text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        else
            text =
                QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        parts.append(it.key() + QLatin1Char('=') + text);
    }
    return parts.join(QStringLiteral(", "));
}

QVariant AuditModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditEntry& entry = m_entries.at(index.row());
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(entry.timeMs).toLocalTime();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case EventColumn:
            return entry.event;
        case WhoColumn:
            // An entry the agent wrote by itself (an override expiring) has no caller.
            if (entry.token.isEmpty())
                return tr("agent");
            return entry.role.isEmpty() ? entry.token : tr("%1 (%2)").arg(entry.token, entry.role);
        case ActionColumn:
            return entry.kind;
        case TargetColumn:
            return entry.target;
        case ParametersColumn:
            return compactParams(entry.params);
        case OutcomeColumn:
            return entry.outcome;
        case DetailColumn:
            return entry.detail;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return time.toString(Qt::ISODateWithMs);
        case ParametersColumn:
            return QString::fromUtf8(QJsonDocument(entry.params).toJson(QJsonDocument::Indented));
        case DetailColumn:
            return entry.detail;
        default: {
            QStringList ids;
            if (!entry.planId.isEmpty())
                ids.append(tr("plan %1").arg(entry.planId));
            if (!entry.jobId.isEmpty())
                ids.append(tr("job %1").arg(entry.jobId));
            ids.append(tr("entry %1").arg(entry.seq));
            return ids.join(QStringLiteral(", "));
        }
        }
    case OutcomeRole:
        return static_cast<int>(outcomeOf(entry));
    case HealthRole:
        switch (outcomeOf(entry)) {
        case Outcome::Failed:
            return QVariant::fromValue(Health::Down);
        case Outcome::Refused:
            return QVariant::fromValue(Health::Unknown); // amber: refused, nothing changed
        case Outcome::Normal:
            return {};
        }
        return {};
    case SeqRole:
        return entry.seq;
    case TimeRole:
        return time;
    default:
        return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case EventColumn:
        return tr("Event");
    case WhoColumn:
        return tr("Who");
    case ActionColumn:
        return tr("Action");
    case TargetColumn:
        return tr("Target");
    case ParametersColumn:
        return tr("Parameters");
    case OutcomeColumn:
        return tr("Outcome");
    case DetailColumn:
        return tr("Detail");
    default:
        return {};
    }
}

void AuditModel::loadNewest() {
    if (!m_client || m_newestRequest != 0)
        return;
    setRequests(m_client->fetchAudit(-1, m_pageSize), m_olderRequest);
}

void AuditModel::loadOlder() {
    if (!m_client || m_olderRequest != 0)
        return;
    if (m_entries.isEmpty() && !m_nextBefore) {
        loadNewest();
        return;
    }
    if (!m_nextBefore)
        return;
    setRequests(m_newestRequest, m_client->fetchAudit(*m_nextBefore, m_pageSize));
}

void AuditModel::setRequests(quint64 newest, quint64 older) {
    const bool wasLoading = isLoading();
    m_newestRequest = newest;
    m_olderRequest = older;
    if (wasLoading != isLoading())
        emit loadingChanged(isLoading());
}

void AuditModel::onAuditFetched(quint64 requestId, const AuditPage& page) {
    if (requestId == m_newestRequest) {
        setRequests(0, m_olderRequest);
        mergeNewest(page);
    } else if (requestId == m_olderRequest) {
        setRequests(m_newestRequest, 0);
        appendOlder(page);
    }
}

void AuditModel::onRequestFailed(quint64 requestId, const ActionError& error) {
    if (requestId == m_newestRequest)
        setRequests(0, m_olderRequest);
    else if (requestId == m_olderRequest)
        setRequests(m_newestRequest, 0);
    else
        return; // another user of the same client
    m_errorText = error.text();
    emit loadFailed(m_errorText);
}

void AuditModel::mergeNewest(const AuditPage& page) {
    m_errorText.clear();
    m_loadedAt = QDateTime::currentDateTime();
    m_chain = page.chain;
    if (m_entries.isEmpty()) {
        insertMissing(page.entries);
        m_nextBefore = page.nextBefore;
        emit loaded();
        return;
    }
    const qint64 newestHeld = m_entries.constFirst().seq;
    // The page reaches the rows held when nothing lies between its oldest entry and our newest.
    const bool joins =
        !page.nextBefore || *page.nextBefore <= newestHeld + 1 ||
        std::any_of(page.entries.cbegin(), page.entries.cend(),
                    [newestHeld](const AuditEntry& entry) { return entry.seq <= newestHeld; });
    if (!joins) {
        beginResetModel();
        m_entries.clear();
        m_seqs.clear();
        endResetModel();
        m_nextBefore = page.nextBefore;
    }
    insertMissing(page.entries);
    emit loaded();
}

void AuditModel::appendOlder(const AuditPage& page) {
    m_errorText.clear();
    m_loadedAt = QDateTime::currentDateTime();
    m_chain = page.chain;
    insertMissing(page.entries);
    m_nextBefore = page.nextBefore;
    emit loaded();
}

void AuditModel::insertMissing(const QList<AuditEntry>& entries) {
    for (const AuditEntry& entry : entries) {
        if (m_seqs.contains(entry.seq))
            continue; // the log is append-only: an entry seen once never changes
        const auto at =
            std::lower_bound(m_entries.cbegin(), m_entries.cend(), entry.seq,
                             [](const AuditEntry& held, qint64 seq) { return held.seq > seq; });
        const int row = static_cast<int>(at - m_entries.cbegin());
        beginInsertRows({}, row, row);
        m_entries.insert(row, entry);
        m_seqs.insert(entry.seq);
        endInsertRows();
    }
}

} // namespace switchboard
