#include "ConnectionDialog.h"

#include "TokenFile.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace switchboard {

ConnectionDialog::ConnectionDialog(QWidget* parent)
    : QDialog(parent)
    , m_url(new QLineEdit(this))
    , m_tokenFile(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Connect to agent"));
    setObjectName(QStringLiteral("connectionDialog"));
    m_url->setObjectName(QStringLiteral("urlEdit"));
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:41300"));
    m_tokenFile->setObjectName(QStringLiteral("tokenFileEdit"));
    m_tokenFile->setPlaceholderText(tr("viewer.json"));
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b3261e;"));

    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ConnectionDialog::browse);
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_tokenFile, 1);
    tokenRow->addWidget(browse);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Agent &URL:"), m_url);
    form->addRow(tr("&Token file:"), tokenRow);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    connect(m_tokenFile, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    setMinimumWidth(520);
    validate();
}

void ConnectionDialog::setUrl(const QString& url) {
    m_url->setText(url);
}

void ConnectionDialog::setTokenFile(const QString& path) {
    m_tokenFile->setText(path);
}

QUrl ConnectionDialog::url() const {
    return QUrl(m_url->text().trimmed());
}

QString ConnectionDialog::tokenFile() const {
    return m_tokenFile->text().trimmed();
}

QString ConnectionDialog::checkUrl(const QString& text) {
    if (text.trimmed().isEmpty())
        return tr("Enter the agent's URL, e.g. http://127.0.0.1:41300.");
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid())
        return tr("The URL is not valid: %1").arg(url.errorString());
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return tr("The URL must start with http:// or https://.");
    if (url.host().isEmpty())
        return tr("The URL has no host.");
    if (url.port() <= 0)
        return tr("The URL needs the agent's port, e.g. http://%1:41300.").arg(url.host());
    return {};
}

void ConnectionDialog::validate() {
    m_error = checkUrl(m_url->text());
    m_token.clear();
    if (m_error.isEmpty()) {
        if (tokenFile().isEmpty()) {
            m_error = tr("Choose the token file to present to the agent (its viewer token).");
        } else {
            const std::optional<TokenFile> token = TokenFile::load(tokenFile(), &m_error);
            if (token)
                m_token = token->token;
        }
    }
    m_problem->setText(m_error);
    m_problem->setVisible(!m_error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_error.isEmpty());
}

void ConnectionDialog::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Token file"), tokenFile(),
                                                      tr("Token files (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_tokenFile->setText(path);
}

} // namespace switchboard
