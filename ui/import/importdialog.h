// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "import/originimport.h"

#include <QDialog>
#include <memory>

class ImportSourceForm;
class ImportSummary;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class Services;
class Workers;

// "Import from another server…": choose the origin and its database, see what an import
// would create, update and leave behind (a dry run), then import with a progress bar.
// Reading and applying run on the console's workers; the window never waits for them.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    enum Step { Source, Reading, Preview, Importing, Finished };

    ImportDialog(Services &services, Workers &workers, QWidget *parent = nullptr,
                 OriginImport::Functions functions = {});
    ~ImportDialog() override;

    Step step() const { return m_step; }
    // The buttons' actions, for tests and the keyboard alike.
    void preview();     // Source → Reading → Preview (or back to Source with the error)
    void startImport(); // Preview → Importing → Finished
    void cancel();      // leaves the dialog, or stops an import that has not started yet
    void back();

    ImportSourceForm *form() const { return m_form; }
    QLabel *errorLabel() const { return m_error; }
    ImportSummary *previewSummary() const { return m_preview; }
    ImportSummary *resultSummary() const { return m_result; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *resultTitle() const { return m_resultTitle; }
    QPushButton *backButton() const { return m_back; }
    QPushButton *nextButton() const { return m_next; }
    QPushButton *cancelButton() const { return m_cancel; }

    void reject() override; // not while an import runs: it finishes or changes nothing

Q_SIGNALS:
    void imported(bool ok); // after an import (not a preview) succeeded or failed

private:
    struct Run;
    void buildUi();
    void setStep(Step step);
    Origins::Progress progressTo(QProgressBar *bar) const;
    void showPreview(std::shared_ptr<const Origins::Read> read, const Origins::Outcome &outcome);
    void importDone(const Result<Origins::Outcome> &outcome);
    void audit(const Result<Origins::Outcome> &outcome);

    Services &m_services;
    Workers &m_workers;
    OriginImport::Functions m_functions;
    Step m_step = Source;
    int m_generation = 0; // a preview abandoned with Back delivers into nothing
    OriginImport::Request m_request;
    std::shared_ptr<const Origins::Read> m_read;
    std::shared_ptr<Run> m_run;

    QStackedWidget *m_pages;
    ImportSourceForm *m_form;
    QLabel *m_error;
    QLabel *m_readingLabel;
    QProgressBar *m_reading;
    ImportSummary *m_preview;
    QLabel *m_importLabel;
    QProgressBar *m_progress;
    QLabel *m_resultTitle;
    ImportSummary *m_result;
    QPushButton *m_back;
    QPushButton *m_next;
    QPushButton *m_cancel;
};
