#include "ErrorBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace switchboard {

ErrorBanner::ErrorBanner(QWidget* parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_close(new QToolButton(this)) {
    setObjectName(QStringLiteral("errorBanner"));
    setFrameShape(QFrame::StyledPanel);
    // Fixed colours: an error must read as one in either theme.
    setStyleSheet(QStringLiteral("#errorBanner { background: #fbe0dd; border: 1px solid #d9534f; }"
                                 "#errorBanner QLabel { color: #5a1410; }"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setText(tr("Dismiss"));
    m_close->setToolTip(tr("Hide this message (Esc)"));
    m_close->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_close, &QToolButton::clicked, this, &ErrorBanner::dismiss);

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(20, 20));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(icon);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close);
    hide();
}

void ErrorBanner::showMessage(const QString& message) {
    ++m_count;
    m_message = message;
    m_label->setText(m_count > 1 ? tr("%1  (%2 messages)").arg(message).arg(m_count) : message);
    show();
}

QString ErrorBanner::message() const {
    return m_message;
}

void ErrorBanner::dismiss() {
    m_count = 0;
    hide();
    emit dismissed();
}

} // namespace switchboard
