// SPDX-License-Identifier: GPL-3.0-or-later
#include "router.h"

void Router::add(Route route)
{
    if (route.auth != Auth::None) {
        route.handler = [auth = route.auth, handler = std::move(route.handler)](const Request &r) {
            if (RouteAuth::credential(auth, r).isEmpty())
                throw RouteAuth::missingCredential(auth);
            return handler(r);
        };
    }
    const int index = int(m_routes.size());
    if (route.pattern.contains(u'{'))
        m_patterned.append({route.pattern.split(u'/'), index});
    else
        m_exact[route.pattern].append(index);
    m_routes.append(std::move(route));
}

void Router::attachMetrics(Metrics &metrics)
{
    for (Route &route : m_routes)
        route.stats = metrics.registerRoute(route.surface, route.method, route.pattern);
}

void Router::addPrefix(const QString &prefix, ErrorShape shape, Metrics::Surface surface)
{
    m_prefixes.append({prefix, shape, surface});
    // Longest prefix first.
    std::sort(m_prefixes.begin(), m_prefixes.end(),
              [](const Prefix &a, const Prefix &b) { return a.prefix.size() > b.prefix.size(); });
}

bool Router::matches(const QStringList &pattern, const QList<QStringView> &path,
                     QHash<QString, QString> *params)
{
    if (pattern.size() != path.size())
        return false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &segment = pattern[i];
        if (segment.startsWith(u'{') && segment.endsWith(u'}')) {
            if (path[i].isEmpty())
                return false;
            params->insert(segment.mid(1, segment.size() - 2), path[i].toString());
        } else if (segment != path[i]) {
            return false;
        }
    }
    return true;
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match result;
    QList<int> candidates;
    QHash<QString, QHash<QString, QString>> paramsByRoute;
    if (const auto it = m_exact.constFind(path); it != m_exact.constEnd())
        candidates = *it;
    if (candidates.isEmpty() && !m_patterned.isEmpty()) {
        const QList<QStringView> segments = QStringView(path).split(u'/');
        for (const auto &[pattern, index] : m_patterned) {
            QHash<QString, QString> params;
            if (matches(pattern, segments, &params)) {
                candidates.append(index);
                paramsByRoute.insert(QString::number(index), params);
            }
        }
    }
    const QByteArray wanted = method == "HEAD" ? QByteArray("GET") : method;
    for (int index : std::as_const(candidates)) {
        const Route &route = m_routes[index];
        if (route.method == method || route.method == wanted) {
            result.route = &route;
            result.params = paramsByRoute.value(QString::number(index));
            return result;
        }
        if (!result.allowed.contains(route.method))
            result.allowed.append(route.method);
    }
    if (result.allowed.contains("GET") && !result.allowed.contains("HEAD"))
        result.allowed.append("HEAD");
    return result;
}

ErrorShape Router::shapeFor(QStringView path) const
{
    for (const Prefix &p : m_prefixes)
        if (path.startsWith(p.prefix))
            return p.shape;
    return ErrorShape::Error;
}

Metrics::Surface Router::surfaceFor(QStringView path) const
{
    for (const Prefix &p : m_prefixes)
        if (path.startsWith(p.prefix))
            return p.surface;
    return Metrics::Other;
}
