// A drill planned and confirmed, as the drill tests start one. The pipeline runs the preflight
// again at confirm, and a replica briefly past the lag limit (the demo's bulk inserts) refuses
// it then (422 preflight_failed) as it can refuse the plan: both are tried again together, as an
// operator would, until `limitMs` has passed.
#pragma once

#include "HttpCall.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>
#include <functional>

struct DrillStart {
    HttpResult planned; // the last plan
    QJsonObject job;    // the confirm's answer: the running job, or the refusal
};

// `plan` returns a plan (executable or not: the last one is kept); `confirm` confirms a plan id.
inline DrillStart startDrill(const std::function<HttpResult()>& plan,
                             const std::function<HttpResult(const QString&)>& confirm,
                             int limitMs) {
    DrillStart started;
    QElapsedTimer clock;
    clock.start();
    do {
        started.planned = plan();
        if (!started.planned.json.value("executable").toBool())
            break;
        const HttpResult confirmed = confirm(started.planned.json.value("plan_id").toString());
        started.job = confirmed.json;
        if (confirmed.status != 422)
            break;
        QTest::qWait(500);
    } while (clock.elapsed() < limitMs);
    return started;
}
