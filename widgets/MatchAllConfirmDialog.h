#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace switchboard {

// The separate confirmation of a selection of every key (pattern "*", an empty prefix): the
// operator types ALL before the console asks the agent for such a plan with allow_match_all.
// Typing, not a click, so that a habit of pressing Enter cannot empty a cache.
class MatchAllConfirmDialog : public QDialog {
    Q_OBJECT
public:
    static inline const QString kWord = QStringLiteral("ALL");

    // `target`: the Redis whose keys would all go; `why`: what made the selection match-all.
    MatchAllConfirmDialog(const QString& target, const QString& why, QWidget* parent = nullptr);

    QLineEdit* wordEdit() const { return m_word; }
    QPushButton* acceptButton() const { return m_accept; }

private:
    QLineEdit* m_word;
    QPushButton* m_accept;
};

} // namespace switchboard
