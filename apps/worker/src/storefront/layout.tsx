import { DEFAULT_LOCALE, LOCALES, pick, type Locale, type Translator } from '@series/core';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { CLIENT_PATH } from './client-routes.js';
import type { ClientData, PageData } from './page-data.js';
import { STOREFRONT_CSS } from './styles.js';

export interface Meta {
  title: string;
  description: string;
  /** Absolute URL of this page without query (canonical, og:url). */
  url: string;
  image?: string | null;
  type?: 'website' | 'profile' | 'video.tv_show' | 'video.episode';
  jsonLd?: object;
  /** Private pages (library, receipts, 404s) stay out of search engines and link previews. */
  noindex?: boolean;
}

/** JSON inside a <script> element: `<` is escaped so no string can close the element. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const OG_LOCALE: Record<Locale, string> = { en: 'en_US', fr: 'fr_FR' };
const LANGUAGE_NAME: Record<Locale, string> = { en: 'English', fr: 'Français' };

export function Layout(props: { t: Translator; path: string; meta: Meta; data: PageData; children: Child }) {
  const { t, meta, data } = props;
  const locale = t.locale;
  const others = LOCALES.filter((l) => l !== locale);
  const card = meta.image ? 'summary_large_image' : 'summary';
  const clientData: ClientData = { locale, messages: pick(locale, ['client.']), ...data };
  // Each language version is its own canonical address (the default language's is the bare URL, which is
  // what crawlers without a language preference get): a French page canonicalised to the English one would be
  // dropped from search as a duplicate. Cached pages vary by language only, so this depends on nothing else.
  const urlIn = (l: Locale) => (l === DEFAULT_LOCALE ? meta.url : `${meta.url}?lang=${l}`);
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{meta.title}</title>
          <meta name="description" content={meta.description} />
          <meta name="theme-color" content="#15171a" />
          <link rel="icon" href="data:," />
          {meta.noindex ? (
            <meta name="robots" content="noindex" />
          ) : (
            <>
              <link rel="canonical" href={urlIn(locale)} />
              {LOCALES.map((l) => (
                <link rel="alternate" hreflang={l} href={urlIn(l)} />
              ))}
              <link rel="alternate" hreflang="x-default" href={meta.url} />
              <meta property="og:site_name" content="Series" />
              <meta property="og:type" content={meta.type ?? 'website'} />
              <meta property="og:title" content={meta.title} />
              <meta property="og:description" content={meta.description} />
              <meta property="og:url" content={urlIn(locale)} />
              <meta property="og:locale" content={OG_LOCALE[locale]} />
              {others.map((l) => (
                <meta property="og:locale:alternate" content={OG_LOCALE[l]} />
              ))}
              {meta.image && <meta property="og:image" content={meta.image} />}
              <meta name="twitter:card" content={card} />
              <meta name="twitter:title" content={meta.title} />
              <meta name="twitter:description" content={meta.description} />
              {meta.image && <meta name="twitter:image" content={meta.image} />}
              {meta.jsonLd && (
                <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptJson(meta.jsonLd) }} />
              )}
            </>
          )}
          <style dangerouslySetInnerHTML={{ __html: STOREFRONT_CSS }} />
          <script type="module" src={CLIENT_PATH} />
        </head>
        <body>
          <a class="skip" href="#main">
            {t.t('site.skip')}
          </a>
          <header class="top">
            <a class="brand" href="/">
              {t.t('site.name')}
            </a>
            <nav aria-label={t.t('site.name')}>
              <a href="/library">{t.t('site.library')}</a>
              {others.map((l) => (
                <a
                  href={`?lang=${l}`}
                  hreflang={l}
                  lang={l}
                  aria-label={`${t.t('site.language')}: ${LANGUAGE_NAME[l]}`}
                >
                  {LANGUAGE_NAME[l]}
                </a>
              ))}
            </nav>
            <div id="sf-account" class="account" />
          </header>
          <main id="main">{props.children}</main>
          <footer>
            <p>{t.t('site.footer')}</p>
            <p>
              <a href="/dashboard/">{t.t('site.forCreators')}</a>
              {' · '}
              <a href="/privacy">{t.t('site.privacy')}</a>
            </p>
          </footer>
          <AuthDialog t={t} />
          <AddEmailDialog t={t} />
          <script type="application/json" id="sf-data" dangerouslySetInnerHTML={{ __html: scriptJson(clientData) }} />
        </body>
      </html>
    </>
  );
}

/**
 * An account made with "Continue with TikTok" has no email address: the script asks for one here when checkout
 * answers email_required (receipts go there), with an optional password.
 */
function AddEmailDialog({ t }: { t: Translator }) {
  return (
    <dialog id="sf-add-email" aria-labelledby="sf-add-email-title">
      <form id="sf-add-email-form" method="dialog" novalidate>
        <div class="dialog-head">
          <h2 id="sf-add-email-title">{t.t('addEmail.title')}</h2>
          <button type="button" class="btn secondary" id="sf-add-email-close" aria-label={t.t('auth.close')}>
            ×
          </button>
        </div>
        <p class="note">{t.t('addEmail.why')}</p>
        <label for="sf-add-email-address">{t.t('auth.email')}</label>
        <input
          id="sf-add-email-address"
          name="email"
          type="email"
          autocomplete="email"
          inputmode="email"
          required
          aria-describedby="sf-add-email-address-error"
        />
        <p id="sf-add-email-address-error" class="field-error" hidden />
        <label for="sf-add-email-password">{t.t('addEmail.password')}</label>
        <input
          id="sf-add-email-password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength={10}
          aria-describedby="sf-add-email-password-hint sf-add-email-password-error"
        />
        <p id="sf-add-email-password-hint" class="note">
          {t.t('addEmail.passwordHint')}
        </p>
        <p id="sf-add-email-password-error" class="field-error" hidden />
        <p id="sf-add-email-error" class="field-error" role="alert" />
        <div class="actions">
          <button type="submit" class="btn wide" id="sf-add-email-submit">
            {t.t('addEmail.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Sign in or create an account without leaving the page; the script opens it when buying needs an account. */
function AuthDialog({ t }: { t: Translator }) {
  return (
    <dialog id="sf-auth" aria-labelledby="sf-auth-title">
      <form id="sf-auth-form" method="dialog" novalidate>
        <div class="dialog-head">
          <h2 id="sf-auth-title" data-in={t.t('auth.title.signIn')} data-up={t.t('auth.title.signUp')}>
            {t.t('auth.title.signIn')}
          </h2>
          <button type="button" class="btn secondary" id="sf-auth-close" aria-label={t.t('auth.close')} value="close">
            ×
          </button>
        </div>
        <p class="note">{t.t('auth.why')}</p>
        {/* TikTok's Login Kit, back to this page (the script sets returnTo to the page's own path). */}
        <a id="sf-tiktok" class="btn secondary wide" href="/v1/auth/tiktok/start?intent=signin&amp;returnTo=%2F">
          {t.t('tiktok.continue')}
        </a>
        <p class="note or">{t.t('tiktok.or')}</p>
        <label for="sf-email">{t.t('auth.email')}</label>
        <input
          id="sf-email"
          name="email"
          type="email"
          autocomplete="email"
          inputmode="email"
          required
          aria-describedby="sf-email-error"
        />
        <p id="sf-email-error" class="field-error" hidden />
        <label for="sf-password">{t.t('auth.password')}</label>
        <input
          id="sf-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          minlength={10}
          aria-describedby="sf-password-hint sf-password-error"
        />
        <p id="sf-password-hint" class="note" hidden>
          {t.t('auth.passwordHint')}
        </p>
        <p id="sf-password-error" class="field-error" hidden />
        <p class="note">
          <a href="/forgot-password" id="sf-forgot">
            {t.t('auth.forgot')}
          </a>
        </p>
        <p id="sf-auth-error" class="field-error" role="alert" />
        <div class="actions">
          <button
            type="submit"
            class="btn wide"
            id="sf-auth-submit"
            data-in={t.t('auth.submit.signIn')}
            data-up={t.t('auth.submit.signUp')}
          >
            {t.t('auth.submit.signIn')}
          </button>
          <button
            type="button"
            class="linkish"
            id="sf-auth-switch"
            data-in={t.t('auth.toSignUp')}
            data-up={t.t('auth.toSignIn')}
          >
            {t.t('auth.toSignUp')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
