import { MAX_REVIEW_TEXT, REPORT_REASONS, type Translator } from '@series/core';

/** A "Report" button for a series, an episode or a review: the script opens the report dialog for it. */
export function ReportButton({ t, kind, id }: { t: Translator; kind: 'series' | 'episode' | 'review'; id: string }) {
  return (
    <button type="button" class="linkish report" data-report-kind={kind} data-report-id={id} hidden>
      {t.t(`report.${kind}`)}
    </button>
  );
}

/**
 * The report dialog (one per page): a reason from the list and the viewer's words. Hidden until the script shows
 * the Report buttons (reports need a signed-in account: it asks to sign in first).
 */
export function ReportDialog({ t }: { t: Translator }) {
  return (
    <dialog id="sf-report" aria-labelledby="sf-report-title">
      <form id="sf-report-form" method="dialog" novalidate>
        <div class="dialog-head">
          <h2 id="sf-report-title">{t.t('report.title')}</h2>
        </div>
        <fieldset class="stars-pick report-reasons">
          <legend>{t.t('report.reason')}</legend>
          {REPORT_REASONS.map((reason) => (
            <label>
              <input type="radio" name="reason" value={reason} /> {t.t(`report.reason.${reason}`)}
            </label>
          ))}
        </fieldset>
        <label for="sf-report-text">{t.t('report.text', { max: t.number(MAX_REVIEW_TEXT) })}</label>
        <textarea id="sf-report-text" name="text" rows={3} maxlength={MAX_REVIEW_TEXT}></textarea>
        <p class="field-error" id="sf-report-error" role="alert" hidden></p>
        <div class="actions">
          <button class="btn" type="submit" value="send">
            {t.t('report.send')}
          </button>
          <button class="btn secondary" type="button" id="sf-report-cancel">
            {t.t('report.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
