import { saleText, type Currency, type Translator } from '@series/core';
import type { EpisodeRow } from '../../episodes/queries.js';
import { toPublicEpisode } from '../../episodes/queries.js';

export type PublicEpisode = ReturnType<typeof toPublicEpisode>;

export const creatorPath = (handle: string) => `/@${handle}`;
export const seriesPath = (handle: string, slug: string) => `/@${handle}/${slug}`;
export const episodePath = (handle: string, slug: string, number: number) => `/@${handle}/${slug}/${number}`;

/** An episode can be bought only when it can be watched at once: released, with its video uploaded. */
export const isWatchable = (e: PublicEpisode) => e.released && e.hasVideo;

export function episodesOf(rows: EpisodeRow[], now = Date.now()): PublicEpisode[] {
  return rows.map((row, i) => toPublicEpisode(row, i + 1, now));
}

/**
 * A temporary discount as every surface shows it: "€2.99 → €1.99 until 12 Dec", read out as "€1.99 instead of
 * €2.99, until 12 Dec".
 */
export function SaleBadge(props: {
  t: Translator;
  listPrice: number;
  sale: { price: number; endsAt: string };
  currency: Currency;
  class?: string;
}) {
  const { text, spoken } = saleText(props.t, props.listPrice, props.sale, props.currency);
  return (
    <span class={`${props.class ?? 'badge'} sale`} data-sale-ends={props.sale.endsAt}>
      <span aria-hidden="true">{text}</span>
      <span class="spoken">{spoken}</span>
    </span>
  );
}

/** What an episode costs now: its sale price while a discount is in force, else its price. */
export const priceNow = (e: PublicEpisode) => e.sale?.price ?? e.price!;

export function EpisodeBadge({ t, e, currency }: { t: Translator; e: PublicEpisode; currency: Currency }) {
  if (!e.released && e.releaseAt)
    return <span class="badge">{t.t('episode.outOn', { date: t.date(e.releaseAt) })}</span>;
  if (!e.hasVideo) return <span class="badge">{t.t('episode.comingSoon')}</span>;
  if (e.free) return <span class="badge free">{t.t('episode.free')}</span>;
  if (e.sale) {
    return (
      <span data-owned-badge={e.id}>
        <SaleBadge t={t} listPrice={e.price!} sale={e.sale} currency={currency} />
      </span>
    );
  }
  return (
    <span class="badge" data-owned-badge={e.id}>
      {t.price(e.price!, currency)}
    </span>
  );
}

/** The button of an episode: play a free one, unlock a premium one (the script swaps it to Play when owned). */
export function EpisodeAction(props: {
  t: Translator;
  e: PublicEpisode;
  currency: Currency;
  href: string;
  onSale: boolean;
  wide?: boolean;
}) {
  const { t, e, currency, href, onSale } = props;
  if (!isWatchable(e)) return null;
  const cls = props.wide ? ' wide' : '';
  if (e.free || !onSale) {
    // Off sale, only buyers see the page: the script shows Play on what they own.
    return (
      <a
        class={`btn secondary${cls}`}
        href={href}
        data-action="play"
        data-episode={e.id}
        aria-label={t.t('episode.playLabel', { number: e.number, title: e.title })}
        hidden={!onSale || !e.free}
      >
        {t.t('episode.play')}
      </a>
    );
  }
  const price = t.price(priceNow(e), currency);
  return (
    <a
      class={`btn${cls}`}
      href={href}
      data-action="buy"
      data-episode={e.id}
      // The price the buyer is shown, which checkout charges or refuses (409 price_changed): never a silent change.
      data-amount={priceNow(e)}
      // In a list the button also names its episode; the name starts with the visible text, so voice control
      // users can say what they see ("label in name", WCAG 2.5.3).
      aria-label={props.wide ? undefined : t.t('episode.unlockLabel', { number: e.number, title: e.title, price })}
    >
      {props.wide ? t.t('episode.unlock', { price }) : t.t('episode.unlockShort', { price })}
    </a>
  );
}

export function EpisodeList(props: {
  t: Translator;
  episodes: PublicEpisode[];
  currency: Currency;
  handle: string;
  slug: string;
  onSale: boolean;
  currentId?: string;
}) {
  const { t, currency, handle, slug, onSale } = props;
  return (
    <ol class="episodes">
      {props.episodes.map((e) => {
        const href = episodePath(handle, slug, e.number);
        return (
          <li
            class="ep"
            data-episode-row={e.id}
            data-thumb={e.thumbnailUrl ?? undefined}
            aria-current={e.id === props.currentId ? 'true' : undefined}
          >
            <span class="ep-num">{e.number}</span>
            {e.thumbnailUrl && (
              <img
                class="ep-thumb"
                src={e.thumbnailUrl}
                alt=""
                width={64}
                height={36}
                loading="lazy"
                decoding="async"
              />
            )}
            <div class="ep-main">
              <a href={href}>{e.title}</a>
              <span class="ep-meta">
                {t.duration(e.durationSeconds)} · <EpisodeBadge t={t} e={e} currency={currency} />
              </span>
            </div>
            <EpisodeAction t={t} e={e} currency={currency} href={href} onSale={onSale} />
          </li>
        );
      })}
    </ol>
  );
}

/** The player's place on the page; the script fills it when an episode plays. */
export function PlayerSlot({ t }: { t: Translator }) {
  return (
    <section id="sf-player" class="player" hidden aria-label={t.t('client.play')}>
      <video id="sf-video" controls playsinline preload="none" />
      <p class="now" id="sf-now" />
      <div class="player-actions">
        <button type="button" class="btn" id="sf-next" hidden />
        <button type="button" class="btn" id="sf-unmute" hidden>
          {t.t('client.tapForSound')}
        </button>
      </div>
    </section>
  );
}

/**
 * "Have a promo code?": the code the script sends with the next purchase from this page (`promoCode`), refused with
 * the reason beside the buttons when it does not apply. `?code=` in the page's address fills it in.
 */
export function PromoField({ t }: { t: Translator }) {
  return (
    <details class="promo" data-promo>
      <summary>{t.t('promo.have')}</summary>
      <label for="sf-promo">{t.t('promo.label')}</label>
      <input
        id="sf-promo"
        name="promo"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        maxlength={32}
        aria-describedby="sf-promo-note"
      />
      <p class="note" id="sf-promo-note">
        {t.t('promo.note')}
      </p>
    </details>
  );
}

export function StatusSlot() {
  return <div id="sf-status" class="status" role="status" aria-live="polite" hidden />;
}
