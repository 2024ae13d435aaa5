import type { Translator } from '@series/core';
import { MAX_REVIEW_TEXT } from '@series/core';
import { toPublicSeries } from '../../series/queries.js';
import type { PublicReview } from '../../reviews/queries.js';
import { ReportButton, ReportDialog } from './report.js';
import { GiftButton, GiftDialog } from './gift.js';
import { Layout } from '../layout.js';
import type { PageData } from '../page-data.js';
import { offerLd, personLd, isoDuration, VIDEO_SITE_PROFILE } from '../seo.js';
import {
  creatorPath,
  EpisodeAction,
  EpisodeBadge,
  EpisodeList,
  episodePath,
  isWatchable,
  PlayerSlot,
  priceNow,
  PromoField,
  SaleBadge,
  seriesPath,
  StatusSlot,
  type PublicEpisode,
} from './parts.js';

export type PublicSeries = ReturnType<typeof toPublicSeries>;

interface Common {
  t: Translator;
  /** Absolute origin for canonical and OpenGraph URLs. */
  origin: string;
}

function Cover({ t, series, eager }: { t: Translator; series: PublicSeries; eager?: boolean }) {
  if (!series.coverUrl) return null;
  return (
    <img
      class="cover"
      src={series.coverUrl}
      alt={t.t('series.cover', { title: series.title })}
      width={240}
      height={320}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      referrerpolicy="no-referrer"
    />
  );
}

function seriesFacts(t: Translator, series: PublicSeries): string {
  const parts = [t.plural('series.episodes', series.episodeCount)];
  if (series.freeEpisodeCount) parts.push(t.plural('series.free', series.freeEpisodeCount));
  if (series.priceRange) parts.push(t.t('series.from', { price: t.price(series.priceRange.min, series.currency) }));
  return parts.join(' · ');
}

function BuyAll({
  t,
  series,
  onSale,
  secondary,
}: {
  t: Translator;
  series: PublicSeries;
  onSale: boolean;
  secondary?: boolean;
}) {
  if (series.bundlePrice === null || !onSale) return null;
  const amount = series.bundleSale?.price ?? series.bundlePrice;
  return (
    <>
      <div class="actions">
        <a
          class={secondary ? 'btn secondary' : 'btn'}
          href={seriesPath(series.creator.handle, series.slug)}
          data-action="buy"
          data-series={series.id}
          // The price shown, which checkout charges or refuses (409 price_changed): never a silent change.
          data-amount={amount}
        >
          {t.t('series.buyAll', { price: t.price(amount, series.currency) })}
        </a>
        {series.bundleSale && (
          <SaleBadge t={t} listPrice={series.bundlePrice} sale={series.bundleSale} currency={series.currency} />
        )}
      </div>
      <p class="note">{t.t('series.buyAllNote')}</p>
    </>
  );
}

/** "Buy the whole series as a gift", at the price for anyone (a gift never takes the giver's credit). */
function GiftSeries({ t, series, onSale }: { t: Translator; series: PublicSeries; onSale: boolean }) {
  if (series.bundlePrice === null || !onSale) return null;
  const amount = series.bundleSale?.price ?? series.bundlePrice;
  return (
    <p class="actions">
      <GiftButton t={t} item={{ seriesId: series.id }} amount={amount} label={t.t('gift.buySeries')} />
    </p>
  );
}

const clientEpisodes = (series: PublicSeries): NonNullable<PageData['episodes']> =>
  series.episodes.map((e) => ({
    id: e.id,
    number: e.number,
    title: e.title,
    free: e.free,
    released: isWatchable(e),
    releaseAt: e.releaseAt,
    href: episodePath(series.creator.handle, series.slug, e.number),
  }));

/** How a creator's handle was proven theirs (TikTok, a bio code): the storefront's verified mark; none when unverified. */
function VerifiedMark({ t, verified }: { t: Common['t']; verified: 'tiktok' | 'bio_code' | null | undefined }) {
  if (!verified) return null;
  const label = t.t(verified === 'tiktok' ? 'tiktok.verified' : 'tiktok.verifiedByBio');
  return (
    <span class="verified" data-verified={verified} title={label}>
      ✓ {label}
    </span>
  );
}

/** `/@handle`: a creator's series on sale (or, for a buyer after they went off sale, the ones they bought). */
export function CreatorPage(
  props: Common & {
    creator: { handle: string; displayName: string; verified?: 'tiktok' | 'bio_code' | null };
    series: PublicSeries[];
    onSale: boolean;
  },
) {
  const { t, origin, creator, series, onSale } = props;
  const path = creatorPath(creator.handle);
  const url = `${origin}${path}`;
  const cover = series.find((s) => s.coverUrl)?.coverUrl ?? null;
  return (
    <Layout
      t={t}
      path={path}
      meta={{
        title: t.t('creator.title', { name: creator.displayName, handle: creator.handle }),
        description: t.t('creator.description', { name: creator.displayName, handle: creator.handle }),
        url,
        image: cover,
        type: 'profile',
        noindex: !onSale,
        jsonLd: {
          '@context': 'https://schema.org',
          '@type': 'ProfilePage',
          url,
          mainEntity: {
            ...personLd(creator.handle, creator.displayName, url),
            owns: series.map((s) => ({
              '@type': 'CreativeWorkSeries',
              name: s.title,
              url: `${origin}${seriesPath(creator.handle, s.slug)}`,
            })),
          },
        },
      }}
      data={{ page: 'creator', handle: creator.handle, onSale }}
    >
      <h1>
        {creator.displayName} <VerifiedMark t={t} verified={creator.verified} />
      </h1>
      <p class="muted">
        <a href={VIDEO_SITE_PROFILE(creator.handle)} rel="noopener">
          {t.t('creator.onVideoSite', { handle: creator.handle })}
        </a>{' '}
        · {t.plural('creator.seriesCount', series.length)}
      </p>
      {!onSale && <p class="banner">{t.t('creator.ownedOnly')}</p>}
      {series.length === 0 ? (
        <p>{t.t('creator.empty')}</p>
      ) : (
        <ul class="cards">
          {series.map((s, i) => (
            <li class="card">
              <Cover t={t} series={s} eager={i === 0} />
              <div>
                <h2>
                  <a href={seriesPath(creator.handle, s.slug)}>{s.title}</a>
                </h2>
                <p class="note">{seriesFacts(t, s)}</p>
                {s.description && (
                  <p>{s.description.length > 180 ? `${s.description.slice(0, 177)}…` : s.description}</p>
                )}
                {s.rating.count > 0 && (
                  <p class="note">
                    {t.plural('reviews.short', s.rating.count, { average: oneDecimal(t, s.rating.average!) })}
                  </p>
                )}
                {s.bundlePrice !== null && onSale && (
                  <p class="note">
                    {s.bundleSale ? (
                      <SaleBadge t={t} listPrice={s.bundlePrice} sale={s.bundleSale} currency={s.currency} />
                    ) : (
                      t.t('series.buyAll', { price: t.price(s.bundlePrice, s.currency) })
                    )}
                  </p>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** An average of stars as the page's language writes it, to one decimal ("4.3", "4,3"). */
const oneDecimal = (t: Translator, average: number) => t.number(Math.round(average * 10) / 10);

/** Five stars, the first `stars` of them filled (read out by the label beside them, not the glyphs). */
const starGlyphs = (stars: number) => '★'.repeat(Math.round(stars)) + '☆'.repeat(5 - Math.round(stars));

interface ReviewListProps {
  t: Translator;
  series: PublicSeries;
  reviews: PublicReview[];
  /** The cursor of the next, older page (null: these are the oldest). */
  older: string | null;
}

function RatingSummary({ t, rating }: { t: Translator; rating: PublicSeries['rating'] }) {
  return rating.count > 0 ? (
    <p class="rating" data-rating-count={rating.count}>
      <span class="stars" aria-hidden="true">
        {starGlyphs(rating.average!)}
      </span>{' '}
      {t.plural('reviews.summary', rating.count, { average: oneDecimal(t, rating.average!) })}
    </p>
  ) : (
    <p>{t.t('reviews.none')}</p>
  );
}

/** A page of reviews (their text escaped like every text JSX writes) with the creator's replies, and the way on. */
function ReviewList({ t, series, reviews, older }: ReviewListProps) {
  return (
    <>
      {reviews.length > 0 && (
        <ul class="review-list">
          {reviews.map((r) => (
            <li class="review" id={r.id}>
              <p>
                <span class="stars" aria-hidden="true">
                  {starGlyphs(r.stars)}
                </span>{' '}
                <span class="visually-hidden">{t.t('reviews.stars', { stars: r.stars })}</span>
              </p>
              {r.text && <p class="review-text">{r.text}</p>}
              <p class="note">
                {t.t('reviews.posted', { date: t.date(r.createdAt) })}
                {r.editedAt && ` · ${t.t('reviews.edited', { date: t.date(r.editedAt) })}`}{' '}
                <ReportButton t={t} kind="review" id={r.id} />
              </p>
              {r.reply && (
                <blockquote class="reply">
                  <p class="note">{t.t('reviews.reply', { name: series.creator.displayName })}</p>
                  <p class="review-text">{r.reply.text}</p>
                </blockquote>
              )}
            </li>
          ))}
        </ul>
      )}
      {older && (
        <p class="actions">
          <a
            class="btn secondary"
            href={`${seriesPath(series.creator.handle, series.slug)}/reviews?before=${older}`}
            rel="next"
          >
            {t.t('reviews.older')}
          </a>
        </p>
      )}
    </>
  );
}

/**
 * The series' ratings: the average and count of those that count, the newest reviews (their text escaped like every
 * text JSX writes) with the creator's replies, and the buyer's form, which the script shows to buyers only.
 */
function Reviews({ t, series, reviews, older }: ReviewListProps) {
  const { rating } = series;
  return (
    <section class="reviews" aria-labelledby="sf-ratings">
      <h2 id="sf-ratings">{t.t('reviews.heading')}</h2>
      <RatingSummary t={t} rating={rating} />
      <p class="note">{t.t('reviews.rule')}</p>
      <form id="sf-review" class="group" hidden novalidate>
        <h3>{t.t('client.review.title')}</h3>
        <fieldset class="stars-pick">
          <legend>{t.t('client.review.stars')}</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label>
              <input type="radio" name="stars" value={String(n)} /> {t.plural('client.review.star', n)}
            </label>
          ))}
        </fieldset>
        <label for="sf-review-text">{t.t('client.review.text', { max: t.number(MAX_REVIEW_TEXT) })}</label>
        <textarea id="sf-review-text" name="text" rows={4} maxlength={MAX_REVIEW_TEXT}></textarea>
        <p class="field-error" id="sf-review-error" role="alert" hidden></p>
        <div class="actions">
          <button class="btn" type="submit">
            {t.t('client.review.post')}
          </button>
        </div>
      </form>
      <ReviewList t={t} series={series} reviews={reviews} older={older} />
    </section>
  );
}

/** `/@handle/<slug>`: the series, its episodes in order, the trailer playable at once. */
export function SeriesPage(
  props: Common & { series: PublicSeries; onSale: boolean; reviews?: PublicReview[]; olderReviews?: string | null },
) {
  const { t, origin, series, onSale, reviews = [], olderReviews = null } = props;
  const { handle, displayName } = series.creator;
  const path = seriesPath(handle, series.slug);
  const url = `${origin}${path}`;
  const creatorUrl = `${origin}${creatorPath(handle)}`;
  const offers = [
    ...(series.bundlePrice !== null
      ? [offerLd(series.bundleSale?.price ?? series.bundlePrice, series.currency, url, t.t('library.wholeSeries'))]
      : []),
  ];
  const episodesText = seriesFacts(t, series);
  return (
    <Layout
      t={t}
      path={path}
      meta={{
        title: t.t('series.title', { title: series.title, name: displayName }),
        description: series.description
          ? series.description.slice(0, 200)
          : t.t('series.description', { title: series.title, name: displayName, episodes: episodesText }),
        url,
        image: series.coverUrl,
        type: 'video.tv_show',
        noindex: !onSale,
        jsonLd: {
          '@context': 'https://schema.org',
          '@type': 'CreativeWorkSeries',
          name: series.title,
          description: series.description || undefined,
          url,
          image: series.coverUrl ?? undefined,
          author: personLd(handle, displayName, creatorUrl),
          ...(onSale && offers.length ? { offers } : {}),
          ...(series.rating.count > 0
            ? {
                aggregateRating: {
                  '@type': 'AggregateRating',
                  ratingValue: series.rating.average,
                  ratingCount: series.rating.count,
                  bestRating: 5,
                  worstRating: 1,
                },
              }
            : {}),
          hasPart: series.episodes.map((e) => episodeLd(series, e, origin)),
        },
      }}
      data={{ page: 'series', handle, seriesId: series.id, episodes: clientEpisodes(series), onSale }}
    >
      <nav class="crumbs" aria-label={t.t('site.name')}>
        <a href={creatorPath(handle)}>{displayName}</a>
      </nav>
      <div class="hero">
        <Cover t={t} series={series} eager />
        <div>
          <h1>{series.title}</h1>
          <p class="muted">
            {t.t('series.by', { name: displayName })} <VerifiedMark t={t} verified={series.creator.verified} /> ·{' '}
            {episodesText}
          </p>
          {series.description && <p>{series.description}</p>}
          <BuyAll t={t} series={series} onSale={onSale} />
          <GiftSeries t={t} series={series} onSale={onSale} />
        </div>
      </div>
      {!onSale && <p class="banner">{t.t('series.offSale')}</p>}
      {onSale && <PromoField t={t} />}
      <StatusSlot />
      <PlayerSlot t={t} />
      <h2>{t.t('series.episodesHeading')}</h2>
      <EpisodeList
        t={t}
        episodes={series.episodes}
        currency={series.currency}
        handle={handle}
        slug={series.slug}
        onSale={onSale}
      />
      <noscript>
        <p class="note">{t.t('episode.noScript')}</p>
      </noscript>
      <Reviews t={t} series={series} reviews={reviews} older={olderReviews} />
      <p class="note">
        <ReportButton t={t} kind="series" id={series.id} />
      </p>
      <ReportDialog t={t} />
      <GiftDialog t={t} />
    </Layout>
  );
}

function episodeLd(series: PublicSeries, e: PublicEpisode, origin: string) {
  const url = `${origin}${episodePath(series.creator.handle, series.slug, e.number)}`;
  return {
    '@type': 'Episode',
    name: e.title,
    episodeNumber: e.number,
    url,
    timeRequired: isoDuration(e.durationSeconds),
    isAccessibleForFree: e.free,
    ...(!e.free && isWatchable(e) ? { offers: offerLd(priceNow(e), series.currency, url) } : {}),
  };
}

/** `/@handle/<slug>/<n>`: one episode, what per-episode links and QR codes open. */
export function EpisodePage(props: Common & { series: PublicSeries; episode: PublicEpisode; onSale: boolean }) {
  const { t, origin, series, episode: e, onSale } = props;
  const { handle, displayName } = series.creator;
  const path = episodePath(handle, series.slug, e.number);
  const url = `${origin}${path}`;
  const previous = series.episodes[e.number - 2];
  const next = series.episodes[e.number];
  return (
    <Layout
      t={t}
      path={path}
      meta={{
        title: t.t('episode.title', { number: e.number, title: e.title, series: series.title }),
        description: t.t('episode.description', { number: e.number, series: series.title, name: displayName }),
        url,
        image: series.coverUrl,
        type: 'video.episode',
        noindex: !onSale,
        jsonLd: {
          '@context': 'https://schema.org',
          ...episodeLd(series, e, origin),
          partOfSeries: {
            '@type': 'CreativeWorkSeries',
            name: series.title,
            url: `${origin}${seriesPath(handle, series.slug)}`,
          },
          author: personLd(handle, displayName, `${origin}${creatorPath(handle)}`),
          image: series.coverUrl ?? undefined,
        },
      }}
      data={{ page: 'episode', handle, seriesId: series.id, episodeId: e.id, episodes: clientEpisodes(series), onSale }}
    >
      <nav class="crumbs" aria-label={t.t('site.name')}>
        <a href={creatorPath(handle)}>{displayName}</a> › <a href={seriesPath(handle, series.slug)}>{series.title}</a>
      </nav>
      <h1>{t.t('episode.heading', { number: e.number, title: e.title })}</h1>
      <p class="muted">
        {t.t('series.by', { name: displayName })} · {t.duration(e.durationSeconds)} ·{' '}
        <EpisodeBadge t={t} e={e} currency={series.currency} />
      </p>
      {!onSale && <p class="banner">{t.t('series.offSale')}</p>}
      <StatusSlot />
      <PlayerSlot t={t} />
      <div class="actions">
        <EpisodeAction t={t} e={e} currency={series.currency} href={path} onSale={onSale} wide />
        {onSale && !e.free && isWatchable(e) && <GiftButton t={t} item={{ episodeId: e.id }} amount={priceNow(e)} />}
      </div>
      {!e.free && isWatchable(e) && <BuyAll t={t} series={series} onSale={onSale} secondary />}
      {onSale && !e.free && isWatchable(e) && <PromoField t={t} />}
      <noscript>
        <p class="note">{t.t('episode.noScript')}</p>
      </noscript>
      <p class="actions">
        {previous && (
          <a class="btn secondary" href={episodePath(handle, series.slug, previous.number)} rel="prev">
            {t.t('episode.previous')}
          </a>
        )}
        {next && (
          <a class="btn secondary" href={episodePath(handle, series.slug, next.number)} rel="next">
            {t.t('episode.next')}
          </a>
        )}
      </p>
      <h2>{t.t('episode.allEpisodes', { series: series.title })}</h2>
      <EpisodeList
        t={t}
        episodes={series.episodes}
        currency={series.currency}
        handle={handle}
        slug={series.slug}
        onSale={onSale}
        currentId={e.id}
      />
      <p class="note">
        <ReportButton t={t} kind="episode" id={e.id} />
      </p>
      <ReportDialog t={t} />
      <GiftDialog t={t} />
    </Layout>
  );
}

/** `/@handle/<slug>/reviews?before=<review>`: the series' older ratings, a page at a time after the series page's. */
export function ReviewsPage(props: Common & { series: PublicSeries; reviews: PublicReview[]; older: string | null }) {
  const { t, series, reviews, older } = props;
  const { handle, displayName } = series.creator;
  const path = `${seriesPath(handle, series.slug)}/reviews`;
  return (
    <Layout
      t={t}
      path={path}
      meta={{
        title: t.t('reviews.olderTitle', { title: series.title, name: displayName }),
        description: t.t('reviews.olderTitle', { title: series.title, name: displayName }),
        url: `${props.origin}${path}`,
        image: series.coverUrl,
        type: 'website',
        noindex: true,
      }}
      data={{ page: 'reviews', handle, seriesId: series.id }}
    >
      <nav class="crumbs" aria-label={t.t('site.name')}>
        <a href={creatorPath(handle)}>{displayName}</a> › <a href={seriesPath(handle, series.slug)}>{series.title}</a>
      </nav>
      <section class="reviews" aria-labelledby="sf-ratings">
        <h1 id="sf-ratings">{t.t('reviews.olderHeading', { title: series.title })}</h1>
        <RatingSummary t={t} rating={series.rating} />
        {reviews.length === 0 && <p>{t.t('reviews.noOlder')}</p>}
        <ReviewList t={t} series={series} reviews={reviews} older={older} />
      </section>
      <ReportDialog t={t} />
    </Layout>
  );
}
