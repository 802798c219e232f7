#include "MatchAllConfirmDialog.h"

#include "ActionStyles.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace switchboard {

MatchAllConfirmDialog::MatchAllConfirmDialog(const QString& target, const QString& why,
                                             QWidget* parent)
    : QDialog(parent)
    , m_word(new QLineEdit(this))
    , m_accept(new QPushButton(tr("Preview every key"), this)) {
    setObjectName(QStringLiteral("matchAllDialog"));
    setWindowTitle(tr("Select every key?"));
    auto* warning = new QLabel(
        tr("<b>This selection matches every key in Redis %1.</b><br>%2<br><br>Invalidating it "
           "empties the shared cache and every instance's L1: until they refill, every get goes "
           "to the loader (the database behind the cache).")
            .arg(target.toHtmlEscaped(), why.toHtmlEscaped()),
        this);
    warning->setObjectName(QStringLiteral("matchAllWarning"));
    warning->setWordWrap(true);
    warning->setStyleSheet(action_style::warning());
    auto* prompt = new QLabel(tr("Type %1 to preview it. Nothing is deleted yet: a preview and a "
                                 "confirmation still follow.")
                                  .arg(kWord),
                              this);
    prompt->setWordWrap(true);
    m_word->setObjectName(QStringLiteral("matchAllEdit"));
    m_word->setPlaceholderText(kWord);
    m_accept->setObjectName(QStringLiteral("matchAllButton"));
    m_accept->setEnabled(false);
    m_accept->setAutoDefault(false); // Enter alone never accepts
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_accept, QDialogButtonBox::AcceptRole);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(m_word, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_accept->setEnabled(text.trimmed() == kWord); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_word->text().trimmed() == kWord)
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(warning);
    layout->addWidget(prompt);
    layout->addWidget(m_word);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}

} // namespace switchboard
