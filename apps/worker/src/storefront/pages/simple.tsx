import type { Translator } from '@series/core';
import { Layout } from '../layout.js';

export function HomePage({ t, origin }: { t: Translator; origin: string }) {
  return (
    <Layout
      t={t}
      path="/"
      meta={{
        title: t.t('home.title'),
        description: t.t('home.description'),
        url: `${origin}/`,
        jsonLd: { '@context': 'https://schema.org', '@type': 'WebSite', name: 'Series', url: `${origin}/` },
      }}
      data={{ page: 'home' }}
    >
      <h1>{t.t('home.heading')}</h1>
      <p>{t.t('home.lead')}</p>
      <p class="actions">
        <a class="btn" href="/library">
          {t.t('home.library')}
        </a>
      </p>
    </Layout>
  );
}

/** A real 404 page: unknown, unapproved or suspended creators and unpublished series all look like this. */
export function NotFoundPage({ t, path }: { t: Translator; path: string }) {
  return (
    <Layout
      t={t}
      path={path}
      meta={{ title: t.t('notFound.title'), description: t.t('notFound.text'), url: path, noindex: true }}
      data={{ page: 'notFound' }}
    >
      <h1>{t.t('notFound.heading')}</h1>
      <p>{t.t('notFound.text')}</p>
      <p>
        <a href="/">{t.t('notFound.home')}</a>
      </p>
    </Layout>
  );
}
