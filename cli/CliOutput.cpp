#include "CliOutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cstdio>

namespace switchboard::cli::CliOutput {

void document(const QJsonObject& object) {
    const QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Indented);
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

void note(const QString& line) {
    std::fprintf(stderr, "switchboard-cli: %s\n", line.toLocal8Bit().constData());
    std::fflush(stderr);
}

ExitCode fail(ExitCode code, const QString& reason, const QString& message,
              const QJsonObject& extra) {
    QJsonObject error = extra;
    error.insert(QStringLiteral("exit_code"), int(code));
    error.insert(QStringLiteral("reason"), reason);
    error.insert(QStringLiteral("message"), message);
    document({{QStringLiteral("error"), error}});
    note(message);
    return code;
}

ExitCode fail(const ActionError& error, const QString& what) {
    QJsonObject extra;
    if (error.httpStatus != 0)
        extra.insert(QStringLiteral("http_status"), error.httpStatus);
    if (!error.jobId.isEmpty())
        extra.insert(QStringLiteral("job_id"), error.jobId);
    if (!error.checks.isEmpty()) {
        QJsonArray checks;
        for (const PreflightCheck& check : error.checks)
            checks.append(QJsonObject{{QStringLiteral("name"), check.name},
                                      {QStringLiteral("verdict"), check.verdictName},
                                      {QStringLiteral("detail"), check.detail}});
        extra.insert(QStringLiteral("checks"), checks);
    }
    return fail(exitCodeOf(error), error.reason, QStringLiteral("%1: %2").arg(what, error.text()),
                extra);
}

} // namespace switchboard::cli::CliOutput
