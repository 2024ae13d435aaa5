import { useState } from 'preact/hooks';
import { api, ApiFailure, request } from '../lib/api.js';
import type { Me } from '../lib/session.js';

/**
 * "Confirm your email address": until the account's address is verified (a link mailed to it opened), a banner
 * asks for it, with a way to get the link again. Nothing is blocked meanwhile.
 */
export function VerifyBanner({ me }: { me: Me }) {
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | 'limited' | 'failed'>('idle');
  if (me.user.emailVerified !== false || !me.user.email) return null;
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
        ? `A new link is on its way to ${me.user.email}.`
        : state === 'limited'
          ? 'Too many links asked in the last hour. Try again later.'
          : `Confirm your email address: we sent a link to ${me.user.email}. `}
      {(state === 'idle' || state === 'busy' || state === 'failed') && (
        <button type="button" class="button link" disabled={state === 'busy'} onClick={() => void resend()}>
          {state === 'failed' ? 'The link could not be sent. Try again' : 'Send it again'}
        </button>
      )}
    </p>
  );
}
