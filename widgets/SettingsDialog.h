#pragma once

#include "ConsoleSettings.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace switchboard {

// File → Settings…: the console's preferences in one place (ConsoleSettings): the palette, how
// much history the charts keep, presentation mode's pace, and the token file and CA a new
// connection starts from. OK is refused while a file named here cannot be used (a token file
// others can read, a CA file that holds no certificate), with the reason shown: nothing is saved
// until every field is usable. Reset window layout puts the docks and the window back as a first
// start has them.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(const ConsoleSettings& current, QWidget* parent = nullptr);

    // What the fields say now (what OK saves).
    ConsoleSettings settings() const;
    void setSettings(const ConsoleSettings& settings);
    // Why OK is refused, empty when it is not.
    QString problem() const;

signals:
    void layoutResetRequested();

private:
    void validate();
    QWidget* fileRow(QLineEdit* edit, const QString& caption, const QString& filter);

    QComboBox* m_theme;
    QSpinBox* m_history;
    QSpinBox* m_presentationInterval;
    QLineEdit* m_tokenFile;
    QLineEdit* m_caFile;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace switchboard
