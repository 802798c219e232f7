#pragma once

#include "Theme.h"

#include <QLabel>

namespace switchboard {

// The strip above a view that says its figures are old (amber, as stale cells are), hidden
// until the view has something to say. Old figures look exactly like current ones: the
// banner says it in words.
class StaleBanner : public QLabel {
    Q_OBJECT
public:
    explicit StaleBanner(const QString& objectName, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
};

} // namespace switchboard
