import type { ComponentChildren } from 'preact';
import type { ApiFailure } from '../lib/api.js';
import type { Resource } from '../lib/use-resource.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error the user can act on: the API's own message, and a retry when trying again can help. */
export function ErrorNotice({ error, onRetry, title }: { error: ApiFailure; onRetry?: () => void; title?: string }) {
  return (
    <div class="state state-error" role="alert">
      <strong>{title ?? (error.unreachable ? 'The Series API is unreachable' : 'Something went wrong')}</strong>
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
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
