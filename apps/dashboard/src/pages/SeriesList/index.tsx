import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { SeriesForm } from '../../components/SeriesForm.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { appHref } from '../../lib/paths.js';
import { useResource } from '../../lib/use-resource.js';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { useMe } from '../../lib/session.js';

export default function SeriesList() {
  return useMe().creator ? <CreatorSeries /> : <NoCreatorYet />;
}

function CreatorSeries() {
  const t = useT();
  const { route } = useLocation();
  const [creating, setCreating] = useState(false);
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);

  return (
    <section>
      <div class="page-head">
        <h1>{t.t('dashboard.seriesList.title')}</h1>
        {!creating && (
          <button type="button" class="button primary" onClick={() => setCreating(true)}>
            {t.t('dashboard.seriesList.new')}
          </button>
        )}
      </div>
      {creating && (
        <div class="card">
          <h2>{t.t('dashboard.seriesList.new')}</h2>
          <SeriesForm
            submitLabel={t.t('dashboard.seriesList.create')}
            onCancel={() => setCreating(false)}
            onCreate={async (body) => {
              const { series: created } = await request(() => api.v1.series.$post({ json: body }));
              route(appHref(`/series/${created.id}`));
            }}
          />
        </div>
      )}
      <Async resource={series} loadingLabel={t.t('dashboard.seriesList.loading')}>
        {({ series: list }) =>
          list.length === 0 ? (
            <Empty title={t.t('dashboard.seriesList.empty')}>
              {t.t('dashboard.seriesList.emptyBody', { max: MAX_EPISODES_PER_SERIES })}
            </Empty>
          ) : (
            <ul class="series-list">
              {list.map((s) => (
                <li key={s.id} class="card series-card">
                  <a class="series-title" href={appHref(`/series/${s.id}`)}>
                    {s.title}
                  </a>
                  <span class={`badge ${s.status === 'published' ? 'success' : 'neutral'}`}>
                    {s.status === 'published'
                      ? t.t('dashboard.seriesList.published')
                      : t.t('dashboard.seriesList.draft')}
                  </span>
                  <p class="muted">
                    {t.plural('dashboard.seriesList.episodes', s.episodeCount, { max: MAX_EPISODES_PER_SERIES })} ·{' '}
                    {s.currency}
                    {s.priceRange &&
                      ` · ${t.t('dashboard.seriesList.perEpisode', {
                        price:
                          t.price(s.priceRange.min, s.currency) +
                          (s.priceRange.max !== s.priceRange.min ? `–${t.price(s.priceRange.max, s.currency)}` : ''),
                      })}`}
                    {s.bundlePrice !== null &&
                      ` · ${t.t('dashboard.seriesList.wholeSeries', { price: t.price(s.bundlePrice, s.currency) })}`}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}
