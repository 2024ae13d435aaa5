import { Component, type ComponentChildren } from 'preact';

interface State {
  error: Error | null;
}

/**
 * The top of the tree: a bug or a page that failed to download shows a way out instead of a blank page.
 * (API errors never get here: views show them where they happen.)
 */
export class AppErrorBoundary extends Component<{ children: ComponentChildren }, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State | null {
    // A thrown promise is a lazy route loading (preact-iso suspends on it), not a failure.
    if (error && typeof (error as PromiseLike<unknown>).then === 'function') return null;
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown) {
    if (!(error && typeof (error as PromiseLike<unknown>).then === 'function')) console.error(error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message);
    return (
      <main class="page crash" role="alert">
        <h1>{chunk ? 'This page could not be loaded' : 'Something went wrong'}</h1>
        <p>
          {chunk
            ? 'Part of the dashboard did not download, perhaps because the connection dropped or a new version was released.'
            : 'The dashboard hit an unexpected error. Everything you saved is kept on the server; reloading usually helps.'}
        </p>
        <p>
          <button type="button" class="button primary" onClick={() => location.reload()}>
            Reload the dashboard
          </button>
        </p>
        <details>
          <summary>Technical details</summary>
          <pre>{error.message}</pre>
        </details>
      </main>
    );
  }
}
