import { api } from './api.js';
import { signIn } from './auth.js';
import { buy, confirmReturn, countView, landingSource, pendingIntent, promoFromAddress } from './checkout.js';
import { data } from './data.js';
import { play, setUpPlayer, whenNextNeedsBuying } from './player.js';
import { current, owns, refreshViewer } from './viewer.js';
import { setUpReview } from './review.js';
import { setUpReports } from './report.js';
import { onGiftAction } from './gift.js';

/**
 * The storefront's only script: everything it shows the viewer about themselves (signed in, owned, their
 * checkout) comes from the API, so the server's pages stay the same for everyone and can be cached.
 */
async function boot() {
  countView(landingSource());
  promoFromAddress();
  setUpPlayer();
  whenNextNeedsBuying((episode) => void buy({ episodeId: episode.id }));

  document.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
    if (!target || event.defaultPrevented || (event as MouseEvent).button > 0) return;
    const { action, episode, series } = target.dataset;
    if (action?.startsWith('gift') || action === 'claim-gift') {
      event.preventDefault();
      onGiftAction(target);
    } else if (action === 'play' && episode) {
      event.preventDefault();
      void play(episode);
    } else if (action === 'buy' && (episode || series)) {
      event.preventDefault();
      if (target.getAttribute('aria-disabled') === 'true') return;
      void buy(episode ? { episodeId: episode } : { seriesId: series! }, target);
    } else if (action === 'signin') {
      event.preventDefault();
      void signIn().then((ok) => {
        if (ok && ['library', 'receipt', 'account'].includes(data.page)) location.reload();
        // Signed in on a series page: a buyer's rating form appears.
        else if (ok) void setUpReview();
      });
    } else if (action === 'signout') {
      event.preventDefault();
      void api('/v1/auth/logout', { method: 'POST' }).finally(() => location.reload());
    }
  });

  await refreshViewer();
  void setUpReview();
  setUpReports();
  const returned = await confirmReturn();
  if (returned) {
    // Play what was just bought: that episode, this page's, or the first one the purchase unlocked.
    const target =
      returned.episodeId ??
      data.episodeId ??
      data.episodes?.find((e) => !e.free && e.released && owns(e.id))?.id ??
      null;
    if (target && owns(target)) await play(target);
    return;
  }
  const intent = pendingIntent();
  if (intent && current().signedIn) await buy(intent);
}

void boot();
