// What the drill tests ask a demo's agent, over its real HTTP API with the operator's token:
// the regions document, plans and confirms of drill.run, a job followed until it ends, a
// preflight check by name.
#pragma once

#include "DrillStart.h"
#include "HttpCall.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>
#include <functional>

class DrillClient {
public:
    // `url`: the agent's base URL, read when called (a demo may restart on another port).
    DrillClient(std::function<QUrl()> url, std::function<QString()> token)
        : url_(std::move(url))
        , token_(std::move(token)) {}

    HttpResult call(const char* method, const QString& path, const QJsonObject& body = {}) const {
        QUrl url = url_();
        url.setPath(path);
        return HttpCall::run(method, url, HttpCall::bearer(token_()),
                             body.isEmpty() ? QByteArray()
                                            : QJsonDocument(body).toJson(QJsonDocument::Compact),
                             60000);
    }
    QJsonObject regions() const {
        return call("GET", QStringLiteral("/v1/snapshot")).json.value("regions").toObject();
    }
    QJsonObject region(const QString& name) const {
        for (const auto& region : regions().value("regions").toArray())
            if (region.toObject().value("name") == name)
                return region.toObject();
        return {};
    }
    HttpResult plan(const QString& region, const QJsonObject& params) const {
        return call("POST", QStringLiteral("/v1/plans"),
                    {{"kind", "drill.run"}, {"target", region}, {"params", params}});
    }
    HttpResult confirm(const QString& planId) const {
        return call("POST", QStringLiteral("/v1/plans/%1/confirm").arg(planId));
    }
    // A plan that passes its preflight, tried again every half second for `limitMs`: the
    // demo's bulk inserts put a replica past the lag limit for a moment now and then, and the
    // preflight rightly refuses it then; an operator would try again a second later.
    HttpResult executablePlan(const QString& region, const QJsonObject& params,
                              int limitMs = 30000) const {
        HttpResult planned;
        QElapsedTimer clock;
        clock.start();
        do {
            planned = plan(region, params);
            if (planned.status == 201 && planned.json.value("executable").toBool())
                break;
            QTest::qWait(500);
        } while (clock.elapsed() < limitMs);
        return planned;
    }
    // tests/support/DrillStart.h: plan and confirm, tried again while the preflight refuses.
    DrillStart start(const QString& region, const QJsonObject& params, int limitMs = 30000) const {
        return startDrill([&] { return executablePlan(region, params, limitMs); },
                          [&](const QString& id) { return confirm(id); }, limitMs);
    }
    // The job polled until it is no longer running (or `limitMs` passed).
    QJsonObject finish(const QJsonObject& started, int limitMs = 120000) const {
        QElapsedTimer clock;
        clock.start();
        QJsonObject state = started;
        while (clock.elapsed() < limitMs && (state.value("state") == QLatin1String("running") ||
                                             state.value("state") == QLatin1String("cancelling"))) {
            QTest::qWait(200);
            state =
                call("GET", QStringLiteral("/v1/jobs/") + started.value("job_id").toString()).json;
        }
        return state;
    }
    static QJsonObject checkNamed(const QJsonObject& planned, const QString& name) {
        for (const auto& check : planned.value("checks").toArray())
            if (check.toObject().value("name") == name)
                return check.toObject();
        return {};
    }

private:
    std::function<QUrl()> url_;
    std::function<QString()> token_;
};
