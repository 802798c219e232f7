// The Scorecard tab offscreen: a row per line plus the headroom, the table exactly as tall as
// its rows (no blank area), the scale matrix drawn right under it with the load placed on its
// logarithmic axis, and the panel repainted when the placement changes.
#include "Fleet.h"
#include "GuiTestHelpers.h"
#include "ScaleMatrixPanel.h"
#include "ScorecardModel.h"
#include "ScorecardView.h"
#include "Theme.h"

#include <QHeaderView>
#include <QImage>
#include <QTableView>
#include <QTest>

using namespace switchboard;

namespace {

// How many pixels of the image differ from its top-left pixel: something was drawn.
int drawnPixels(const QImage& image) {
    const QRgb background = image.pixel(0, 0);
    int drawn = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            drawn += image.pixel(x, y) != background;
    return drawn;
}

} // namespace

class TestScorecardView : public QObject {
    Q_OBJECT

private slots:
    void axisPositionIsLogarithmicPerStage() {
        const ScaleMatrix matrix;
        QCOMPARE(ScaleMatrixPanel::axisPosition(matrix, 0), 0.0);
        QCOMPARE(ScaleMatrixPanel::axisPosition(matrix, 100), 0.0); // the first stage's floor
        QCOMPARE(ScaleMatrixPanel::axisPosition(matrix, 1'000), 1.0);
        QVERIFY(qAbs(ScaleMatrixPanel::axisPosition(matrix, 3'162.3) - 1.5) < 0.001);
        QCOMPARE(ScaleMatrixPanel::axisPosition(matrix, 100'000), 3.0);
        QCOMPARE(ScaleMatrixPanel::axisPosition(matrix, 5e7), 4.0); // past the last: its end
    }

    void theTableFitsItsRowsAndTheMatrixSitsUnderIt() {
        Fleet fleet;
        ScorecardModel model(&fleet);
        ScorecardView view(&model);
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(model.rowCount(), 12); // eleven lines and the capacity headroom
        QTableView* table = view.table();
        auto rowsHeight = [&] {
            int height = table->horizontalHeader()->height() + 2 * table->frameWidth();
            for (int row = 0; row < model.rowCount(); ++row)
                height += table->rowHeight(row);
            return height;
        };
        QTRY_COMPARE(table->height(), rowsHeight());
        ScaleMatrixPanel* panel = view.scalePanel();
        QVERIFY(panel->isVisible());
        QVERIFY(panel->geometry().top() >= table->geometry().bottom());
        QVERIFY(panel->geometry().bottom() <= view.height());
        QVERIFY(panel->height() >= panel->minimumSizeHint().height());
        // With no rate yet the panel says so instead of placing a load.
        QVERIFY(drawnPixels(panel->grab().toImage()) > 0);
    }

    void theVerdictFollowsTheFontAndTheTheme() {
        Fleet fleet;
        ScorecardModel model(&fleet);
        ScorecardView view(&model);
        const qreal before = view.summary()->font().pointSizeF();
        QVERIFY(qAbs(before - view.font().pointSizeF() * 1.6) < 0.01);
        QFont large = view.font();
        large.setPointSizeF(large.pointSizeF() * 1.6); // presentation mode's large type
        view.setFont(large);
        QVERIFY(qAbs(view.summary()->font().pointSizeF() - before * 1.6) < 0.01);
        QVERIFY(view.summary()->font().bold());
        const QString light = view.summary()->styleSheet();
        view.setTheme(Theme::load(Theme::Kind::HighContrast));
        QVERIFY2(view.summary()->styleSheet() != light, qPrintable(light)); // readable on black
    }

    void aPlacementIsDrawn() {
        ScaleMatrixPanel panel;
        panel.resize(900, panel.sizeHint().height());
        const QImage empty = panel.grab().toImage();
        ScalePlacement placement;
        placement.peakRequestsPerSecond = 581;
        placement.neededRequestsPerSecond = 1'743;
        placement.deployed = ScaleStage::MultiRegion;
        placement.deployedCapacity = 1'000'000;
        placement.headroom = 573.6;
        panel.setPlacement(ScaleMatrix{}, placement);
        const QImage placed = panel.grab().toImage();
        QVERIFY(placed != empty);
        QVERIFY(drawnPixels(placed) > drawnPixels(empty) / 2);
        gui_test::saveScreenshot(panel, QStringLiteral("scale-matrix-panel.png"));
    }
};

QTEST_MAIN(TestScorecardView)
#include "tst_scorecard_view.moc"
