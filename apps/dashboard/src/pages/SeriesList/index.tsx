import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { SeriesForm } from '../../components/SeriesForm.js';
import { Async, Empty } from '../../components/states.js';
import { api, request } from '../../lib/api.js';
import { money, plural } from '../../lib/format.js';
import { appHref } from '../../lib/paths.js';
import { useResource } from '../../lib/use-resource.js';
import { NoCreatorYet } from '../../components/NoCreatorYet.js';
import { useMe } from '../../lib/session.js';

export default function SeriesList() {
  return useMe().creator ? <CreatorSeries /> : <NoCreatorYet />;
}

function CreatorSeries() {
  const { route } = useLocation();
  const [creating, setCreating] = useState(false);
  const series = useResource(() => request(() => api.v1.me.series.$get()), []);

  return (
    <section>
      <div class="page-head">
        <h1>Series</h1>
        {!creating && (
          <button type="button" class="button primary" onClick={() => setCreating(true)}>
            New series
          </button>
        )}
      </div>
      {creating && (
        <div class="card">
          <h2>New series</h2>
          <SeriesForm
            submitLabel="Create series"
            onCancel={() => setCreating(false)}
            onCreate={async (body) => {
              const { series: created } = await request(() => api.v1.series.$post({ json: body }));
              route(appHref(`/series/${created.id}`));
            }}
          />
        </div>
      )}
      <Async resource={series} loadingLabel="Loading your series…">
        {({ series: list }) =>
          list.length === 0 ? (
            <Empty title="No series yet">
              A series holds up to {MAX_EPISODES_PER_SERIES} episodes of up to 20 minutes. Create one, add episodes,
              then publish it.
            </Empty>
          ) : (
            <ul class="series-list">
              {list.map((s) => (
                <li key={s.id} class="card series-card">
                  <a class="series-title" href={appHref(`/series/${s.id}`)}>
                    {s.title}
                  </a>
                  <span class={`badge ${s.status === 'published' ? 'success' : 'neutral'}`}>
                    {s.status === 'published' ? 'Published' : 'Draft'}
                  </span>
                  <p class="muted">
                    {plural(s.episodeCount, 'episode')} of {MAX_EPISODES_PER_SERIES} · {s.currency}
                    {s.priceRange &&
                      ` · ${money(s.priceRange.min, s.currency)}${s.priceRange.max !== s.priceRange.min ? `–${money(s.priceRange.max, s.currency)}` : ''} per episode`}
                    {s.bundlePrice !== null && ` · whole series ${money(s.bundlePrice, s.currency)}`}
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
