// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChartView>
#include <QList>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

// A live line chart of a per-second rate over the last minute.
class RateChart : public QChartView
{
    Q_OBJECT
public:
    RateChart(const QString &title, const QColor &color, QWidget *parent = nullptr);

    // Adds the newest sample (events in the last second); the oldest falls off.
    void addSample(double perSecond);
    const QList<double> &samples() const { return m_samples; }

    static constexpr int kWindow = 60;

private:
    QLineSeries *m_line;
    QLineSeries *m_base;
    QValueAxis *m_x;
    QValueAxis *m_y;
    QList<double> m_samples;
};
