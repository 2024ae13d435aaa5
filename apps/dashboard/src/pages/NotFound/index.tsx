import { useT } from '../../lib/i18n.js';
import { appHref } from '../../lib/paths.js';

export default function NotFound() {
  const t = useT();
  return (
    <section>
      <h1>{t.t('dashboard.notFound.title')}</h1>
      <p>
        {t.t('dashboard.notFound.body')} <a href={appHref('/')}>{t.t('dashboard.notFound.home')}</a>.
      </p>
    </section>
  );
}
