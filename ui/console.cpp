// SPDX-License-Identifier: GPL-3.0-or-later
#include "console.h"

#include "config/settings.h"
#include "services.h"
#include "servercontrol.h"

#include <QLabel>

// The first console: a status window. The full console replaces it (issue 6).
void startConsole(Services &services, ServerControl &server)
{
    auto started = server.start();
    auto *label = new QLabel;
    label->setAttribute(Qt::WA_DeleteOnClose);
    label->setText(started ? QStringLiteral("Gatehouse is listening on %1:%2")
                                 .arg(services.settings.listenHost)
                                 .arg(*started)
                           : started.error());
    label->resize(480, 120);
    label->show();
}

bool secondInstanceRaised(const Settings &)
{
    return false;
}
