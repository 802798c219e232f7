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
        DrillStart started = startDrill([&] { return executablePlan(region, params, limitMs); },
                                        [&](const QString& id) { return confirm(id); }, limitMs);
        lastStart_ = {region, params, started.job.value("job_id").toString()};
        return started;
    }
    // The job polled until it is no longer running (or `limitMs` passed).
    //
    // The job runs the preflight once more as its first step, and a bulk insert between the
    // confirm and that step can put the candidate past the lag limit: the job then stops before
    // its "preflight" step, having changed nothing. A drill that `start` began and that stopped
    // so is started again and followed (up to 5 times within `limitMs`), as an operator would run
    // it again a second later; any other ending is returned as it is.
    QJsonObject finish(const QJsonObject& started, int limitMs = 120000) const {
        QElapsedTimer clock;
        clock.start();
        QJsonObject state = follow(started, clock, limitMs);
        for (int again = 0; again < 5 && stoppedBeforeChanging(state) &&
                            lastStart_.matches(state) && clock.elapsed() < limitMs;
             ++again) {
            qInfo("the drill stopped at its own preflight (%s): starting it again",
                  qPrintable(state.value("result").toObject().value("error").toString()));
            QTest::qWait(1000);
            const QJsonObject restarted = start(lastStart_.region, lastStart_.params).job;
            if (!restarted.contains("job_id"))
                return state;
            state = follow(restarted, clock, limitMs);
        }
        return state;
    }
    // A drill job that failed or was aborted before its "preflight" step: nothing changed.
    static bool stoppedBeforeChanging(const QJsonObject& job) {
        const QJsonObject result = job.value("result").toObject();
        const QString outcome = result.value("outcome").toString();
        if (outcome != QLatin1String("failed") && outcome != QLatin1String("aborted"))
            return false;
        for (const auto& step : result.value("timeline").toArray())
            if (step.toObject().value("step") == QLatin1String("preflight") ||
                step.toObject().value("step") == QLatin1String("plan"))
                return false;
        return true;
    }
    static QJsonObject checkNamed(const QJsonObject& planned, const QString& name) {
        for (const auto& check : planned.value("checks").toArray())
            if (check.toObject().value("name") == name)
                return check.toObject();
        return {};
    }

private:
    // The region and parameters of the last drill `start` began, to run it again (see finish).
    struct LastStart {
        QString region;
        QJsonObject params;
        QString jobId;
        bool matches(const QJsonObject& job) const {
            return !jobId.isEmpty() && job.value("job_id").toString() == jobId;
        }
    };

    QJsonObject follow(const QJsonObject& started, const QElapsedTimer& clock, int limitMs) const {
        QJsonObject state = started;
        while (clock.elapsed() < limitMs && (state.value("state") == QLatin1String("running") ||
                                             state.value("state") == QLatin1String("cancelling"))) {
            QTest::qWait(200);
            state =
                call("GET", QStringLiteral("/v1/jobs/") + started.value("job_id").toString()).json;
        }
        return state;
    }

    mutable LastStart lastStart_;
    std::function<QUrl()> url_;
    std::function<QString()> token_;
};
