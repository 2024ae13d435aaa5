import { appHref } from '../lib/paths.js';

/** Shown on creator pages to an account that has not claimed a handle yet. */
export function NoCreatorYet() {
  return (
    <section class="card">
      <h1>Claim your handle first</h1>
      <p>
        Series, sales and payouts belong to a creator profile. <a href={appHref('/')}>Claim your video-site handle</a>{' '}
        on the overview to get started.
      </p>
    </section>
  );
}
