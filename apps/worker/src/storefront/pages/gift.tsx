import { MAX_GIFT_MESSAGE, type Translator } from '@series/core';
import { giftState, type GiftListRow } from '../../ledger/gift-queries.js';
import { Layout } from '../layout.js';

/**
 * "Buy as a gift" for an episode or the whole series. Not `data-episode`/`data-series`: the script turns those into
 * Play or hides them once the viewer owns the item, and a gift can be bought by someone who owns it.
 */
export function GiftButton(props: {
  t: Translator;
  item: { episodeId: string } | { seriesId: string };
  amount: number;
  label?: string;
}) {
  const { t, item } = props;
  return (
    <button
      type="button"
      class="btn secondary"
      data-action="gift"
      data-gift-episode={'episodeId' in item ? item.episodeId : undefined}
      data-gift-series={'seriesId' in item ? item.seriesId : undefined}
      data-amount={props.amount}
    >
      {props.label ?? t.t('gift.buy')}
    </button>
  );
}

/** The gift's recipient and message, asked before the checkout (one per page; the script opens it). */
export function GiftDialog({ t }: { t: Translator }) {
  return (
    <dialog id="sf-gift" aria-labelledby="sf-gift-title">
      <form id="sf-gift-form" method="dialog" novalidate>
        <div class="dialog-head">
          <h2 id="sf-gift-title">{t.t('gift.dialog.title')}</h2>
        </div>
        <p class="note">{t.t('gift.dialog.lead')}</p>
        <label for="sf-gift-email">{t.t('gift.email')}</label>
        <input
          id="sf-gift-email"
          name="email"
          type="email"
          autocomplete="off"
          inputmode="email"
          required
          maxlength={254}
          aria-describedby="sf-gift-email-error"
        />
        <p id="sf-gift-email-error" class="field-error" hidden />
        <label for="sf-gift-message">{t.t('gift.message', { max: t.number(MAX_GIFT_MESSAGE) })}</label>
        <textarea id="sf-gift-message" name="message" rows={3} maxlength={MAX_GIFT_MESSAGE}></textarea>
        <p class="note">{t.t('gift.dialog.price')}</p>
        <p id="sf-gift-error" class="field-error" role="alert" hidden />
        <div class="actions">
          <button type="submit" class="btn" id="sf-gift-submit">
            {t.t('gift.submit')}
          </button>
          <button type="button" class="btn secondary" id="sf-gift-cancel">
            {t.t('gift.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export interface ClaimableGift {
  giver: string | null;
  item: string;
  seller: string;
  message: string | null;
  /** Where the recipient goes once it is theirs: the episode's page, or the series'. */
  href: string;
}

/**
 * The page a gift's link opens (`/gift?token=…`): what it is, from whom, the message, and Claim (which signs in or
 * makes an account first, in the page's own dialog). Never cached nor indexed; the token stays in the address only.
 */
export function GiftClaimPage({ t, gift }: { t: Translator; gift: ClaimableGift | null }) {
  return (
    <Layout
      t={t}
      path="/gift"
      meta={{ title: t.t('gift.claim.title'), description: t.t('gift.claim.title'), url: '/gift', noindex: true }}
      data={{ page: 'gift' }}
    >
      {gift ? (
        <>
          <h1>{t.t('gift.claim.heading')}</h1>
          <p>
            {t.t('gift.claim.from', {
              giver: gift.giver ?? t.t('gift.claim.someone'),
              item: gift.item,
              seller: gift.seller,
            })}
          </p>
          {gift.message && (
            <figure class="gift-message">
              <figcaption class="muted">{t.t('gift.claim.message')}</figcaption>
              <blockquote>
                {gift.message.split('\n').map((line, i) => (
                  <>
                    {i > 0 && <br />}
                    {line}
                  </>
                ))}
              </blockquote>
            </figure>
          )}
          <div id="sf-status" class="status" role="status" aria-live="polite" hidden />
          <p class="actions">
            <button type="button" class="btn wide" data-action="claim-gift" data-href={gift.href}>
              {t.t('gift.claim.button')}
            </button>
          </p>
          <p class="note">{t.t('gift.claim.how')}</p>
        </>
      ) : (
        <>
          <h1>{t.t('gift.claim.invalid.title')}</h1>
          <p>{t.t('gift.claim.invalid.lead')}</p>
          <p>
            <a href="/library">{t.t('recover.toLibrary')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}

/** The giver's gifts on the account page: to whom, what, when, where each stands; Send again and Refund. */
export function GiftList({ t, rows }: { t: Translator; rows: GiftListRow[] }) {
  return (
    <section id="gifts" aria-labelledby="gifts-heading">
      <h2 id="gifts-heading">{t.t('gifts.heading')}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t.t('gifts.empty')}</p>
      ) : (
        <ul class="gifts">
          {rows.map((g) => {
            const state = giftState(g);
            const open = state === 'sent' || state === 'recipient_owns' || state === 'refunding';
            return (
              <li class="gift" data-gift={g.purchase_id}>
                <strong>{g.episode_title ?? g.series_title}</strong>
                <span class="muted"> · {t.price(g.amount, g.currency as never)}</span>
                <br />
                {t.t('gifts.to', { email: g.recipient_email })} · {t.t('gifts.paid', { date: t.date(g.paid_at) })}
                <br />
                <span class="badge" data-gift-state={state}>
                  {t.t(`gifts.state.${state}`)}
                </span>
                {open && (
                  <span class="actions">
                    {state !== 'refunding' && (
                      <button
                        type="button"
                        class="btn secondary"
                        data-action="gift-resend"
                        data-purchase={g.purchase_id}
                      >
                        {t.t('gifts.resend')}
                      </button>
                    )}
                    <button type="button" class="btn secondary" data-action="gift-refund" data-purchase={g.purchase_id}>
                      {t.t('gifts.refund')}
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
