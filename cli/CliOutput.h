#pragma once

#include "ActionError.h"
#include "ExitCode.h"

#include <QJsonObject>
#include <QString>

namespace switchboard::cli {

// Where switchboard-cli's words go: the machine's answer as one JSON document on stdout, and
// everything for a person (progress, why it failed) on stderr, so `cli … > out.json` always
// holds valid JSON, an error included.
namespace CliOutput {

void document(const QJsonObject& object);
// A line for the person watching, prefixed with the program's name.
void note(const QString& line);
// The error document {"error": {"exit_code", "reason", "message", "http_status", …}} on stdout
// and its sentence on stderr; returns `code` for a one-line `return fail(…)`.
ExitCode fail(ExitCode code, const QString& reason, const QString& message,
              const QJsonObject& extra = {});
// The same for an agent's refusal or a request without answer.
ExitCode fail(const ActionError& error, const QString& what);

} // namespace CliOutput

} // namespace switchboard::cli
