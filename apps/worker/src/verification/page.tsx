import type { MessageKey, Translator } from '@series/core';

/** Codes of the TikTok flow's failures, each with its text in the catalogues (`tiktok.error.<code>`). */
export type FlowProblem =
  | 'not_configured'
  | 'state_invalid'
  | 'state_expired'
  | 'denied'
  | 'error'
  | 'code_rejected'
  | 'unavailable'
  | 'scope_missing'
  | 'session_changed'
  | 'connected_elsewhere'
  | 'other_account'
  | 'other_handle'
  | 'handle_verified_elsewhere'
  | 'claim_rejected'
  | 'handle_unsupported'
  | 'signin_failed';

/**
 * The page a browser lands on when a TikTok flow fails: what happened in the reader's language, that nothing
 * changed, and the way back. `data-code` carries the API's stable code (`tiktok_<problem>`).
 */
export function FlowProblemPage(props: { t: Translator; problem: FlowProblem; back: string }) {
  const { t, problem, back } = props;
  return (
    <html lang={t.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t.t('tiktok.title')}</title>
      </head>
      <body>
        <main>
          <h1>{t.t('tiktok.title')}</h1>
          <p role="alert" data-code={`tiktok_${problem}`}>
            {t.t(`tiktok.error.${problem}` as Extract<MessageKey, `tiktok.error.${string}`>)}
          </p>
          <p>
            <a href={back}>{t.t('tiktok.back')}</a>
          </p>
        </main>
      </body>
    </html>
  );
}
