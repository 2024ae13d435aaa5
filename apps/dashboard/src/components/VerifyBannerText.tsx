import { useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../lib/api.js';
import { useT } from '../lib/i18n.js';

/** The banner itself, in its own chunk with the texts it loads (see VerifyBanner.tsx). */
export default function Banner({ email }: { email: string }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | 'limited' | 'failed'>('idle');
  if (!t.ready) return null;
  const resend = async () => {
    setState('busy');
    try {
      await request(() => api.v1.me.email.verification.$post());
      setState('sent');
    } catch (err) {
      setState(err instanceof ApiFailure && err.status === 429 ? 'limited' : 'failed');
    }
  };
  return (
    <p class="notice warning verify-banner" role="status">
      {state === 'sent'
        ? t.t('dashboard.verify.sent', { email })
        : state === 'limited'
          ? t.t('dashboard.verify.limited')
          : `${t.t('dashboard.verify.banner', { email })} `}
      {(state === 'idle' || state === 'busy' || state === 'failed') && (
        <button type="button" class="button link" disabled={state === 'busy'} onClick={() => void resend()}>
          {state === 'failed' ? t.t('dashboard.verify.failed') : t.t('dashboard.verify.resend')}
        </button>
      )}
    </p>
  );
}
