import type { ComponentChildren } from 'preact';
import type { ApiFailure } from '../lib/api.js';
import { useT, type DashboardT } from '../lib/i18n.js';
import type { Resource } from '../lib/use-resource.js';

/**
 * A state's own text in the dashboard's language; English until the texts arrived (they come from the API, so an
 * unreachable API, or the first instant of loading, still reads something).
 */
const say = (
  t: DashboardT,
  key: 'dashboard.state.loading' | 'dashboard.state.unreachable' | 'dashboard.state.failed' | 'dashboard.state.retry',
  english: string,
) => (t.ready ? t.t(key) : english);

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label || say(t, 'dashboard.state.loading', 'Loading…')}
    </p>
  );
}

/** An error the user can act on: the API's own message, and a retry when trying again can help. */
export function ErrorNotice({ error, onRetry, title }: { error: ApiFailure; onRetry?: () => void; title?: string }) {
  const t = useT();
  return (
    <div class="state state-error" role="alert">
      <strong>
        {title ??
          (error.unreachable
            ? say(t, 'dashboard.state.unreachable', 'The Series API is unreachable')
            : say(t, 'dashboard.state.failed', 'Something went wrong'))}
      </strong>
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          {say(t, 'dashboard.state.retry', 'Try again')}
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

/**
 * Renders a resource's three states. Data already shown stays visible during a reload (with a quiet
 * indicator), and an error after data was shown appears above the last good figures.
 */
export function Async<T>({
  resource,
  children,
  loadingLabel,
}: {
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
  loadingLabel?: string;
}) {
  if (resource.data === undefined) {
    if (resource.status === 'error') return <ErrorNotice error={resource.error} onRetry={resource.reload} />;
    return <Loading label={loadingLabel} />;
  }
  return (
    <div class="async" aria-busy={resource.status === 'loading'}>
      {resource.status === 'error' && <ErrorNotice error={resource.error} onRetry={resource.reload} />}
      {children(resource.data)}
    </div>
  );
}
