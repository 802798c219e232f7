#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace switchboard {

// A strip above the views that says what went wrong and what to do, without blocking the
// window: the newest message shows, with how many came before it, until dismissed.
class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget* parent = nullptr);

    void showMessage(const QString& message);
    QString message() const;
    int messageCount() const { return m_count; }

public slots:
    void dismiss();

signals:
    void dismissed();

private:
    QLabel* m_label;
    QToolButton* m_close;
    QString m_message;
    int m_count = 0;
};

} // namespace switchboard
