#pragma once

#include <QDialog>
#include <QUrl>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace switchboard {

// Asks for an agent's URL and the token file to present to it, and accepts only a URL the
// client can open and a token file that reads. The problem shows under the fields as the user
// types, so there is never a message box to dismiss.
class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectionDialog(QWidget* parent = nullptr);

    void setUrl(const QString& url);
    void setTokenFile(const QString& path);

    QUrl url() const;
    QString tokenFile() const;
    // The token read from the file; valid once the dialog accepted.
    QString token() const { return m_token; }

    // Why the current input cannot be used; empty when it can.
    QString validationError() const { return m_error; }

    // Checks a URL as typed: http or https, a host and a port. Empty when fine.
    static QString checkUrl(const QString& text);

private:
    void validate();
    void browse();

    QLineEdit* m_url;
    QLineEdit* m_tokenFile;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
    QString m_error;
    QString m_token;
};

} // namespace switchboard
