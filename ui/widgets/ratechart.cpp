// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/ratechart.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>
#include <cmath>

using namespace Qt::StringLiterals;

RateChart::RateChart(const QString &title, const QColor &color, QWidget *parent)
    : QChartView(parent), m_line(new QLineSeries), m_base(new QLineSeries), m_x(new QValueAxis),
      m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(4);
    chart->setAnimationOptions(QChart::NoAnimation);
    QFont titleFont = font();
    titleFont.setWeight(QFont::DemiBold);
    chart->setTitleFont(titleFont);
    chart->setBackgroundBrush(palette().base());
    chart->setTitleBrush(palette().text());

    for (int i = 0; i < kWindow; ++i) {
        m_samples.append(0);
        m_line->append(i - kWindow + 1, 0);
        m_base->append(i - kWindow + 1, 0);
    }
    auto *area = new QAreaSeries(m_line, m_base);
    QColor fill = color;
    fill.setAlpha(60);
    area->setBrush(fill);
    QPen pen(color);
    pen.setWidthF(2);
    area->setPen(pen);
    chart->addSeries(area);

    m_x->setRange(-kWindow + 1, 0);
    m_x->setTickCount(7);
    m_x->setLabelFormat(u"%d s"_s);
    m_y->setRange(0, 1);
    m_y->setTickCount(5);
    m_y->setLabelFormat(u"%.3g"_s);
    for (QValueAxis *axis : {m_x, m_y}) {
        axis->setLabelsBrush(palette().text());
        axis->setGridLineColor(palette().mid().color());
        QFont small = font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        axis->setLabelsFont(small);
    }
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    area->attachAxis(m_x);
    area->attachAxis(m_y);

    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    setMaximumHeight(210);
    setAccessibleName(title);
}

void RateChart::addSample(double perSecond)
{
    m_samples.removeFirst();
    m_samples.append(perSecond);
    QList<QPointF> points;
    points.reserve(kWindow);
    double peak = 0;
    for (int i = 0; i < kWindow; ++i) {
        points.append(QPointF(i - kWindow + 1, m_samples[i]));
        peak = qMax(peak, m_samples[i]);
    }
    m_line->replace(points);
    // A round top: 1, 2, 5, 10, 20, 50… above the peak.
    double top = 1;
    while (top < peak * 1.1) {
        const double magnitude = std::pow(10, std::floor(std::log10(top)));
        const double lead = top / magnitude;
        top = (lead < 2 ? 2 : lead < 5 ? 5 : 10) * magnitude;
    }
    m_y->setRange(0, top);
    // Round steps: 0–10 by 2, 0–20 by 5, 0–50 by 10.
    const double lead = top / std::pow(10, std::floor(std::log10(top)));
    m_y->setTickCount(lead < 1.5 ? 6 : lead < 3 ? 5 : 6);
    m_y->setLabelFormat(top >= 10 ? u"%d"_s : u"%.2g"_s);
    setToolTip(tr("Now: %1 per second; peak in the last minute: %2").arg(perSecond).arg(peak));
}
