import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../lib/session.js';

/**
 * "Confirm your email address": until the account's address is verified (a link mailed to it opened), a banner
 * asks for it, with a way to get the link again; in the dashboard's language. Nothing is blocked meanwhile.
 * The banner and its texts load only while the address is unverified: a verified account's first page load
 * carries none of it (test/bundle-budget.test.ts).
 */
export function VerifyBanner({ me }: { me: Me }) {
  const email = me.user.emailVerified === false ? me.user.email : null;
  const [Banner, setBanner] = useState<FunctionComponent<{ email: string }> | null>(null);
  useEffect(() => {
    if (email && !Banner) void import('./VerifyBannerText.js').then((m) => setBanner(() => m.default));
  }, [email, Banner]);
  return email && Banner ? <Banner email={email} /> : null;
}
