import { LOOKUP_PREFIX_LENGTH, type Translator } from '@series/core';
import { SESSION_TTL_MS } from '../../auth/queries.js';
import { Layout } from '../layout.js';

/** The day the policy last changed: change it with the texts (privacy.* in packages/core/src/i18n). */
export const PRIVACY_UPDATED = '2026-12-01';

/**
 * The privacy policy (`/privacy`), in English and French like every page: what the extension sends (hash
 * prefixes, bare episode ids, the sign-in, purchases and playback) and what it never does. Both extension
 * stores link to it; the store listings (apps/extension/build/store.ts) give its address per language.
 */
export function PrivacyPage({ t, origin }: { t: Translator; origin: string }) {
  return (
    <Layout
      t={t}
      path="/privacy"
      meta={{ title: t.t('privacy.title'), description: t.t('privacy.description'), url: `${origin}/privacy` }}
      data={{ page: 'privacy' }}
    >
      <article class="policy">
        <h1>{t.t('privacy.heading')}</h1>
        <p class="muted">{t.t('privacy.updated', { date: t.date(PRIVACY_UPDATED) })}</p>
        <p>{t.t('privacy.intro')}</p>
        <h2 id="extension">{t.t('privacy.extension.heading')}</h2>
        <p>{t.t('privacy.extension.lead')}</p>
        <ul>
          <li>
            {t.t('privacy.extension.lookups', {
              prefix: t.number(LOOKUP_PREFIX_LENGTH),
              buckets: t.number(16 ** LOOKUP_PREFIX_LENGTH),
            })}
          </li>
          <li>{t.t('privacy.extension.views')}</li>
          <li>{t.t('privacy.extension.signIn')}</li>
          <li>{t.t('privacy.extension.purchases')}</li>
          <li>{t.t('privacy.extension.anchors')}</li>
        </ul>
        <p>{t.t('privacy.extension.local')}</p>
        <h2 id="never">{t.t('privacy.notSent.heading')}</h2>
        <p>{t.t('privacy.notSent.text')}</p>
        <h2 id="account">{t.t('privacy.site.heading')}</h2>
        <ul>
          <li>{t.t('privacy.site.account', { days: t.number(SESSION_TTL_MS / 86_400_000) })}</li>
          <li>{t.t('privacy.site.purchases')}</li>
          <li>{t.t('privacy.site.gifts')}</li>
          <li>{t.t('privacy.site.payments')}</li>
          <li>{t.t('privacy.site.counts')}</li>
        </ul>
        <h2 id="rights">{t.t('privacy.rights.heading')}</h2>
        <p>{t.t('privacy.rights.text')}</p>
      </article>
    </Layout>
  );
}
