import { useT } from '../lib/i18n.js';
import { appHref } from '../lib/paths.js';

/** Shown on creator pages to an account that has not claimed a handle yet. */
export function NoCreatorYet() {
  const t = useT();
  return (
    <section class="card">
      <h1>{t.t('dashboard.claimFirst.title')}</h1>
      <p>
        {t.t('dashboard.claimFirst.lead')} <a href={appHref('/')}>{t.t('dashboard.claimFirst.link')}</a>{' '}
        {t.t('dashboard.claimFirst.after')}
      </p>
    </section>
  );
}
