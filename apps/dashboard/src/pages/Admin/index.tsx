import { useState } from 'preact/hooks';
import { useT } from '../../lib/i18n.js';
import { useMe } from '../../lib/session.js';
import { appHref } from '../../lib/paths.js';
import { AuditPanel } from './AuditPanel.js';
import { CommissionPanel } from './CommissionPanel.js';
import { CreatorsPanel } from './CreatorsPanel.js';
import { PayoutsDuePanel } from './PayoutsDuePanel.js';
import { VerificationPanel } from './VerificationPanel.js';

export default function Admin() {
  const me = useMe();
  const t = useT();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  if (!me.user.isAdmin) {
    return (
      <section class="card">
        <h1>{t.t('dashboard.admin.only.title')}</h1>
        <p>
          {t.t('dashboard.admin.only.lead')} <a href={appHref('/')}>{t.t('dashboard.admin.only.back')}</a>.
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>{t.t('dashboard.admin.title')}</h1>
      <CreatorsPanel onChanged={changed} />
      <VerificationPanel onChanged={changed} />
      <CommissionPanel onChanged={changed} />
      <PayoutsDuePanel onChanged={changed} />
      <AuditPanel version={version} />
    </section>
  );
}
