import { useState } from 'preact/hooks';
import { Async } from '../../components/states.js';
import { api, ApiFailure, request } from '../../lib/api.js';
import { errorText, useT } from '../../lib/i18n.js';
import { useResource } from '../../lib/use-resource.js';

/**
 * Where the creator's money goes. With Stripe configured on the worker, creators connect a Stripe Express
 * account (onboarding happens on Stripe's pages, then returns here); in test mode there is nothing to connect.
 */
export function PaymentAccount() {
  const t = useT();
  const account = useResource(() => request(() => api.v1.me.stripe.$get()), []);
  const [connecting, setConnecting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function connect() {
    setConnecting(true);
    setError(null);
    try {
      const { url } = await request(() => api.v1.me.stripe.onboarding.$post({ json: { returnUrl: location.href } }));
      location.assign(url);
    } catch (err) {
      setError(err instanceof ApiFailure ? errorText(t, err) : String(err));
      setConnecting(false);
    }
  }

  return (
    <section class="card" aria-labelledby="payment-account">
      <h2 id="payment-account">{t.t('dashboard.payouts.account.title')}</h2>
      <Async resource={account} loadingLabel={t.t('dashboard.payouts.account.loading')}>
        {({ stripe }) =>
          stripe.mode === 'test' ? (
            <p>{t.t('dashboard.payouts.account.test')}</p>
          ) : stripe.chargesEnabled ? (
            <p>{t.t('dashboard.payouts.account.connected')}</p>
          ) : (
            <>
              <p>
                {stripe.accountId
                  ? t.t('dashboard.payouts.account.needsDetails')
                  : t.t('dashboard.payouts.account.connectLead')}
              </p>
              <button type="button" onClick={connect} disabled={connecting}>
                {connecting
                  ? t.t('dashboard.payouts.account.opening')
                  : stripe.accountId
                    ? t.t('dashboard.payouts.account.continue')
                    : t.t('dashboard.payouts.account.connect')}
              </button>
              {error && (
                <p role="alert" class="error">
                  {error}
                </p>
              )}
            </>
          )
        }
      </Async>
    </section>
  );
}
