#include "StaleBanner.h"

namespace switchboard {

StaleBanner::StaleBanner(const QString& objectName, QWidget* parent)
    : QLabel(parent) {
    setObjectName(objectName);
    setWordWrap(true);
    setMargin(6);
    setAutoFillBackground(true);
    hide();
    setTheme(Theme::load(Theme::Kind::Light));
}

void StaleBanner::setTheme(const Theme& theme) {
    QPalette banner = palette();
    banner.setColor(QPalette::Window, theme.healthColor(Health::Unknown));
    banner.setColor(QPalette::WindowText, theme.palette().color(QPalette::WindowText));
    setPalette(banner);
}

} // namespace switchboard
