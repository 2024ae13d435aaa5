import { useState } from 'preact/hooks';
import { useMe } from '../../lib/session.js';
import { appHref } from '../../lib/paths.js';
import { AuditPanel } from './AuditPanel.js';
import { CommissionPanel } from './CommissionPanel.js';
import { CreatorsPanel } from './CreatorsPanel.js';
import { PayoutsDuePanel } from './PayoutsDuePanel.js';
import { VerificationPanel } from './VerificationPanel.js';

export default function Admin() {
  const me = useMe();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  if (!me.user.isAdmin) {
    return (
      <section class="card">
        <h1>Admins only</h1>
        <p>
          This page is for the people who run Series. <a href={appHref('/')}>Back to the overview</a>.
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>Admin</h1>
      <CreatorsPanel onChanged={changed} />
      <VerificationPanel onChanged={changed} />
      <CommissionPanel onChanged={changed} />
      <PayoutsDuePanel onChanged={changed} />
      <AuditPanel version={version} />
    </section>
  );
}
