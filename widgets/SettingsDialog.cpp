#include "SettingsDialog.h"

#include "Theme.h"
#include "TlsTrust.h"
#include "TokenFile.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace switchboard {

SettingsDialog::SettingsDialog(const ConsoleSettings& current, QWidget* parent)
    : QDialog(parent)
    , m_theme(new QComboBox(this))
    , m_history(new QSpinBox(this))
    , m_presentationInterval(new QSpinBox(this))
    , m_tokenFile(new QLineEdit(this))
    , m_caFile(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                         QDialogButtonBox::RestoreDefaults,
                                     this)) {
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    m_theme->addItem(tr("Light"), Theme::name(Theme::Kind::Light));
    m_theme->addItem(tr("Dark"), Theme::name(Theme::Kind::Dark));
    m_theme->addItem(tr("High contrast"), Theme::name(Theme::Kind::HighContrast));

    m_history->setObjectName(QStringLiteral("historySpin"));
    m_history->setRange(1, kMaxHistoryMinutes);
    m_history->setSuffix(tr(" min"));
    m_history->setToolTip(tr("Points every chart keeps, one a second; more history is more "
                             "memory. Applies from the next start."));
    m_presentationInterval->setObjectName(QStringLiteral("presentationIntervalSpin"));
    m_presentationInterval->setRange(1, ConsoleSettings::kMaxPresentationIntervalSeconds);
    m_presentationInterval->setSuffix(tr(" s"));
    m_tokenFile->setObjectName(QStringLiteral("tokenFileEdit"));
    m_tokenFile->setPlaceholderText(tr("none: the command line's, or ask"));
    m_caFile->setObjectName(QStringLiteral("caFileEdit"));
    m_caFile->setPlaceholderText(tr("none: the system's CAs"));
    m_problem->setObjectName(QStringLiteral("problemLabel"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b3261e;"));

    auto* resetLayout = new QPushButton(tr("Reset window layout"), this);
    resetLayout->setObjectName(QStringLiteral("resetLayoutButton"));
    resetLayout->setToolTip(tr("The docks, their sizes and the window as a first start has them"));
    connect(resetLayout, &QPushButton::clicked, this, &SettingsDialog::layoutResetRequested);

    auto* form = new QFormLayout(this);
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(tr("Chart &history:"), m_history);
    form->addRow(QString(), new QLabel(tr("<small>Applies from the next start.</small>"), this));
    form->addRow(tr("&Presentation interval:"), m_presentationInterval);
    form->addRow(tr("Default &token file:"),
                 fileRow(m_tokenFile, tr("Token file"), tr("Token files (*.json);;All files (*)")));
    form->addRow(
        tr("&CA file for https:"),
        fileRow(m_caFile, tr("CA certificate"), tr("Certificates (*.pem *.crt);;All files (*)")));
    form->addRow(tr("Window:"), resetLayout);
    form->addRow(m_problem);
    form->addRow(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setSettings(ConsoleSettings{}); });
    connect(m_tokenFile, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    connect(m_caFile, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    setMinimumWidth(560);
    setSettings(current);
}

QWidget* SettingsDialog::fileRow(QLineEdit* edit, const QString& caption, const QString& filter) {
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto* browse = new QPushButton(tr("Browse…"), row);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, caption, filter] {
        const QString path = QFileDialog::getOpenFileName(this, caption, edit->text(), filter);
        if (!path.isEmpty())
            edit->setText(path);
    });
    return row;
}

ConsoleSettings SettingsDialog::settings() const {
    ConsoleSettings settings;
    settings.theme = m_theme->currentData().toString();
    settings.historyMinutes = m_history->value();
    settings.presentationIntervalSeconds = m_presentationInterval->value();
    settings.tokenFile = m_tokenFile->text().trimmed();
    settings.caFile = m_caFile->text().trimmed();
    return settings;
}

void SettingsDialog::setSettings(const ConsoleSettings& settings) {
    const int theme = m_theme->findData(Theme::name(Theme::kindFromName(settings.theme)));
    m_theme->setCurrentIndex(theme < 0 ? 0 : theme);
    m_history->setValue(settings.historyMinutes);
    m_presentationInterval->setValue(settings.presentationIntervalSeconds);
    m_tokenFile->setText(settings.tokenFile);
    m_caFile->setText(settings.caFile);
    validate();
}

QString SettingsDialog::problem() const {
    return m_problem->text();
}

void SettingsDialog::validate() {
    QString error;
    const QString tokenFile = m_tokenFile->text().trimmed();
    const QString caFile = m_caFile->text().trimmed();
    if (!tokenFile.isEmpty() && !TokenFile::load(tokenFile, &error))
        error = tr("Default token file: %1").arg(error);
    else if (!caFile.isEmpty() && !TlsTrust::configuration(caFile, &error))
        error = tr("CA file: %1").arg(error);
    else
        error.clear();
    m_problem->setText(error);
    m_problem->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

} // namespace switchboard
