import { useState } from 'preact/hooks';
import { Async } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { useResource } from '../../lib/use-resource.js';

/**
 * Where the creator's money goes. With Stripe configured on the worker, creators connect a Stripe Express
 * account (onboarding happens on Stripe's pages, then returns here); in test mode there is nothing to connect.
 */
export function PaymentAccount() {
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
      setError(err instanceof Error ? err.message : String(err));
      setConnecting(false);
    }
  }

  return (
    <section class="card" aria-labelledby="payment-account">
      <h2 id="payment-account">Payment account</h2>
      <Async resource={account} loadingLabel="Checking your payment account…">
        {({ stripe }) =>
          stripe.mode === 'test' ? (
            <p>
              Payments run in test mode: buyers use the test checkout and no money moves, so there is no account to
              connect.
            </p>
          ) : stripe.chargesEnabled ? (
            <p>Your Stripe account is connected: sales are paid into it, minus the platform commission in force.</p>
          ) : (
            <>
              <p>
                {stripe.accountId
                  ? 'Stripe still needs some details before your account can take payments.'
                  : 'Connect a Stripe account to publish paid episodes and get paid.'}
              </p>
              <button type="button" onClick={connect} disabled={connecting}>
                {connecting ? 'Opening Stripe…' : stripe.accountId ? 'Continue on Stripe' : 'Connect with Stripe'}
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
