import { appHref } from '../../lib/paths.js';

export default function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <a href={appHref('/')}>Go to the overview</a>.
      </p>
    </section>
  );
}
