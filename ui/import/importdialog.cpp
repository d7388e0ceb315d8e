// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/importdialog.h"

#include "adminaudit.h"
#include "import/importsourceform.h"
#include "import/importsummary.h"
#include "services.h"
#include "workers.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <atomic>

using namespace Qt::StringLiterals;

// One press of Import. The workers may still be busy with other work when it is queued:
// until the apply starts, Cancel wins; once it started, it runs to the end (one
// transaction: everything or nothing).
struct ImportDialog::Run
{
    enum Phase { Waiting, Started, Cancelled };
    std::atomic<int> phase{Waiting};
};

namespace {
QLabel *wrapped(const QString &text = QString())
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

QWidget *page(std::initializer_list<QWidget *> widgets, QWidget *stretchy = nullptr)
{
    auto *w = new QWidget;
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *child : widgets)
        layout->addWidget(child, child == stretchy ? 1 : 0);
    if (!stretchy)
        layout->addStretch(1);
    return w;
}
} // namespace

ImportDialog::ImportDialog(Services &services, Workers &workers, QWidget *parent,
                           OriginImport::Functions functions)
    : QDialog(parent), m_services(services), m_workers(workers), m_functions(std::move(functions)),
      m_pages(new QStackedWidget), m_form(new ImportSourceForm), m_error(wrapped()),
      m_readingLabel(wrapped()), m_reading(new QProgressBar), m_preview(new ImportSummary(false)),
      m_importLabel(wrapped()), m_progress(new QProgressBar), m_resultTitle(wrapped()),
      m_result(new ImportSummary(true)), m_back(new QPushButton(tr("< &Back"))),
      m_next(new QPushButton), m_cancel(new QPushButton(tr("Cancel")))
{
    setWindowTitle(tr("Import from another server"));
    buildUi();
    setStep(Source);
    resize(640, 560);
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::buildUi()
{
    m_error->setObjectName(u"importError"_s);
    m_error->setStyleSheet(u"color: #b3261e"_s); // as the other dialogs show errors
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *intro = wrapped(tr("Brings users, their password or PIN hashes, roles, API tokens and "
                             "Telegram bindings over from the server Gatehouse replaces. The "
                             "origin's database is only read. The next step shows what would "
                             "change here before anything is written."));
    m_pages->addWidget(page({intro, m_form, m_error}));
    m_pages->addWidget(page({m_readingLabel, m_reading}));
    auto *previewIntro = wrapped(tr("Nothing has been written yet. Import applies this in one "
                                    "transaction: all of it or, on any error, none of it. "
                                    "Importing again later changes only what changed."));
    m_pages->addWidget(page({previewIntro, m_preview}, m_preview));
    auto *importHint = wrapped(tr("The import runs in one transaction; it cannot be stopped "
                                  "halfway. The console stays usable meanwhile."));
    m_pages->addWidget(page({m_importLabel, m_progress, importHint}));
    m_pages->addWidget(page({m_resultTitle, m_result}, m_result));
    m_progress->setRange(0, 100);
    m_progress->setAccessibleName(tr("Import progress"));
    m_reading->setAccessibleName(tr("Reading progress"));

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages, 1);
    layout->addLayout(buttons);

    connect(m_back, &QPushButton::clicked, this, &ImportDialog::back);
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (m_step == Source)
            preview();
        else if (m_step == Preview)
            startImport();
    });
    connect(m_cancel, &QPushButton::clicked, this, &ImportDialog::cancel);
    connect(m_form, &ImportSourceForm::changed, m_error, &QLabel::clear);
}

void ImportDialog::setStep(Step step)
{
    m_step = step;
    m_pages->setCurrentIndex(step);
    // After a refused import Back starts over; after a done one there is nothing to go back to.
    m_back->setVisible(step == Preview || (step == Finished && !m_read));
    m_next->setVisible(step == Source || step == Preview);
    m_next->setText(step == Source ? tr("&Preview") : tr("&Import"));
    m_next->setDefault(true);
    m_cancel->setText(step == Finished ? tr("Close") : tr("Cancel"));
    m_cancel->setEnabled(true);
}

void ImportDialog::back()
{
    if (m_step == Preview || m_step == Reading || m_step == Finished) {
        ++m_generation;
        setStep(Source);
    }
}

// The apply thread reports every row; the bar hears only of whole percent steps, queued
// to the GUI thread, and only while it exists.
Origins::Progress ImportDialog::progressTo(QProgressBar *bar) const
{
    auto shown = std::make_shared<std::atomic<int>>(-1);
    QPointer<QProgressBar> target(bar);
    Workers *poster = &m_workers;
    return [shown, target, poster](int done, int total) {
        const int percent = total > 0 ? int(qint64(qBound(0, done, total)) * 100 / total) : -1;
        if (shown->exchange(percent) == percent)
            return;
        QMetaObject::invokeMethod(
            poster,
            [target, percent] {
                if (!target)
                    return;
                target->setRange(0, percent < 0 ? 0 : 100);
                target->setValue(qMax(0, percent));
            },
            Qt::QueuedConnection);
    };
}

void ImportDialog::preview()
{
    if (m_step != Source)
        return;
    if (const QString problem = m_form->problem(); !problem.isEmpty()) {
        m_error->setText(problem);
        return;
    }
    m_request = m_form->request();
    m_read.reset();
    m_error->clear();
    m_readingLabel->setText(
        tr("Reading %1 from %2…").arg(OriginImport::displayName(m_request.kind), m_request.source));
    m_reading->setRange(0, 0);
    setStep(Reading);
    const int generation = ++m_generation;
    struct Previewed
    {
        std::shared_ptr<const Origins::Read> read;
        Origins::Outcome outcome;
    };
    Services &services = m_services;
    m_workers.run(
        this,
        [functions = m_functions, request = m_request, progress = progressTo(m_reading),
         &services]() -> Previewed {
            auto read = functions.read(request.kind, request.source, request.options);
            if (!read)
                throw read.refusal();
            auto shared = std::make_shared<const Origins::Read>(std::move(read).value());
            auto outcome = functions.apply(services, *shared, true, progress);
            if (!outcome)
                throw outcome.refusal();
            return {shared, outcome.value()};
        },
        [this, generation](Result<Previewed> previewed) {
            if (generation != m_generation)
                return;
            if (!previewed) {
                m_error->setText(previewed.error());
                setStep(Source);
                return;
            }
            showPreview(previewed->read, previewed->outcome);
        });
}

void ImportDialog::showPreview(std::shared_ptr<const Origins::Read> read,
                               const Origins::Outcome &outcome)
{
    m_read = std::move(read);
    m_preview->setResult(*m_read, outcome);
    m_preview->headline()->setText(tr("<b>Importing from %1 would do this here:</b> ")
                                       .arg(OriginImport::displayName(m_request.kind)) +
                                   m_preview->headline()->text());
    setStep(Preview);
}

void ImportDialog::startImport()
{
    if (m_step != Preview || !m_read)
        return;
    m_importLabel->setText(tr("Importing from %1…").arg(OriginImport::displayName(m_request.kind)));
    m_progress->setValue(0);
    setStep(Importing);
    m_cancel->setToolTip(tr("Possible until the import starts"));
    auto run = std::make_shared<Run>();
    m_run = run;
    QPointer<QPushButton> cancelButton(m_cancel);
    Services &services = m_services;
    Workers *poster = &m_workers;
    m_workers.run(
        this,
        [functions = m_functions, read = m_read, run, progress = progressTo(m_progress), &services,
         poster, cancelButton]() -> Origins::Outcome {
            int waiting = Run::Waiting;
            if (!run->phase.compare_exchange_strong(waiting, Run::Started))
                throw Refusal(Refusal::Kind::Conflict, tr("The import was cancelled."));
            QMetaObject::invokeMethod(
                poster,
                [cancelButton] {
                    if (cancelButton)
                        cancelButton->setEnabled(false);
                },
                Qt::QueuedConnection);
            auto outcome = functions.apply(services, *read, false, progress);
            if (!outcome)
                throw outcome.refusal();
            return outcome.value();
        },
        [this, run](Result<Origins::Outcome> outcome) {
            if (run->phase == Run::Cancelled || run != m_run)
                return;
            importDone(outcome);
        });
}

void ImportDialog::importDone(const Result<Origins::Outcome> &outcome)
{
    m_run.reset();
    audit(outcome);
    const QString origin = OriginImport::displayName(m_request.kind);
    if (outcome) {
        m_progress->setRange(0, 100);
        m_progress->setValue(100);
        m_result->setResult(*m_read, *outcome);
        m_resultTitle->setText(tr("<b>Imported from %1.</b>").arg(origin));
        m_result->setVisible(true);
    } else {
        m_resultTitle->setText(tr("<b>Nothing was imported from %1:</b> %2")
                                   .arg(origin, outcome.error().toHtmlEscaped()));
        m_result->setVisible(false);
        m_read.reset(); // Back goes to the source: read again before another try
    }
    setStep(Finished);
    m_cancel->setToolTip(QString());
    Q_EMIT imported(outcome.ok());
}

void ImportDialog::audit(const Result<Origins::Outcome> &outcome)
{
    QString detail;
    if (outcome) {
        const Transfer::ImportReport &r = outcome->report;
        detail = u"users %1 created, %2 updated, %3 unchanged; api tokens %4 created"_s
                     .arg(r.users.created)
                     .arg(r.users.updated)
                     .arg(r.users.skipped)
                     .arg(outcome->apiTokensCreated);
    } else {
        detail = outcome.error();
    }
    AdminAudit::record(m_services.audit,
                       {.action = u"transfer.import"_s,
                        .subject = OriginImport::commandName(m_request.kind) + u' ' +
                                   OriginImport::sourceForAudit(m_request.source),
                        .result = outcome ? u"ok"_s : u"error"_s,
                        .detail = detail});
}

void ImportDialog::cancel()
{
    switch (m_step) {
    case Reading:
        ++m_generation; // its result, when it comes, is dropped
        m_error->setText(tr("Preview cancelled."));
        setStep(Source);
        return;
    case Importing: {
        int waiting = Run::Waiting;
        if (m_run && m_run->phase.compare_exchange_strong(waiting, Run::Cancelled)) {
            m_run.reset();
            setStep(Preview);
        }
        return; // started: it finishes or changes nothing
    }
    case Source:
    case Preview:
    case Finished:
        reject();
        return;
    }
}

void ImportDialog::reject()
{
    if (m_step == Importing) {
        int waiting = Run::Waiting;
        if (!m_run || !m_run->phase.compare_exchange_strong(waiting, Run::Cancelled))
            return; // started: it finishes or changes nothing, and this shows which
        m_run.reset();
    }
    ++m_generation;
    QDialog::reject();
}
