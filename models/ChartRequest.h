#pragma once

#include "LabelFilter.h"
#include "MetricInfo.h"

#include <QMetaType>
#include <QString>

namespace switchboard {

// What one chart of the Metrics view shows: a metric (as the catalog describes it) and the label
// filter its series pass. The view hands these to whatever loads history (PrometheusHistory),
// which knows nothing of widgets. A value type.
struct ChartRequest {
    MetricInfo info;
    LabelFilter filter;

    // Tells one chart's request from another's (two charts of one metric and one filter are the
    // same request): the metric and the filter's text.
    QString key() const { return info.name + QLatin1Char('{') + filter.text() + QLatin1Char('}'); }
    friend bool operator==(const ChartRequest& a, const ChartRequest& b) {
        return a.info == b.info && a.filter.terms() == b.filter.terms();
    }
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::ChartRequest)
