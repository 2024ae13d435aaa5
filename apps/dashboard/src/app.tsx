import { lazy, LocationProvider, Route, Router } from 'preact-iso';
import { AppErrorBoundary } from './components/AppErrorBoundary.js';
import { Layout } from './components/Layout.js';
import { ErrorNotice, Loading } from './components/states.js';
import { APP_SCOPE, appHref } from './lib/paths.js';
import { SessionProvider, useSession } from './lib/session.js';

// Every page is its own chunk: the first load carries only this shell (see test/bundle-budget.test.ts).
const SignIn = lazy(() => import('./pages/SignIn/index.js'));
const Home = lazy(() => import('./pages/Home/index.js'));
const SeriesList = lazy(() => import('./pages/SeriesList/index.js'));
const SeriesDetail = lazy(() => import('./pages/SeriesDetail/index.js'));
const Analytics = lazy(() => import('./pages/Analytics/index.js'));
const Payouts = lazy(() => import('./pages/Payouts/index.js'));
const Admin = lazy(() => import('./pages/Admin/index.js'));
const NotFound = lazy(() => import('./pages/NotFound/index.js'));
const Account = lazy(() => import('./pages/Account/index.js'));
const Refunds = lazy(() => import('./pages/Refunds/index.js'));
const PromoCodes = lazy(() => import('./pages/PromoCodes/index.js'));
const Discounts = lazy(() => import('./pages/Discounts/index.js'));
const Moderation = lazy(() => import('./pages/Moderation/index.js'));

export function App() {
  return (
    <AppErrorBoundary>
      <LocationProvider scope={APP_SCOPE}>
        <SessionProvider>
          <Shell />
        </SessionProvider>
      </LocationProvider>
    </AppErrorBoundary>
  );
}

/** Signed out: every address shows the sign-in page (and stays the address to land on after signing in). */
function Shell() {
  const { state, refresh } = useSession();
  if (state.status === 'loading') {
    return (
      <main class="page page-center">
        <Loading label="Opening your dashboard…" />
      </main>
    );
  }
  if (state.status === 'error') {
    return (
      <main class="page page-center">
        <h1 class="brand-title">Series</h1>
        <ErrorNotice error={state.error} onRetry={() => void refresh()} />
      </main>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <Router>
        <Route path={appHref('/')} component={SignIn} />
        <Route default component={SignIn} />
      </Router>
    );
  }
  return (
    <Layout me={state.me}>
      <Router>
        <Route path={appHref('/')} component={Home} />
        <Route path={appHref('/series')} component={SeriesList} />
        <Route path={appHref('/series/:id')} component={SeriesDetail} />
        <Route path={appHref('/analytics')} component={Analytics} />
        <Route path={appHref('/payouts')} component={Payouts} />
        <Route path={appHref('/admin')} component={Admin} />
        <Route path={appHref('/moderation')} component={Moderation} />
        <Route path={appHref('/account')} component={Account} />
        <Route path={appHref('/refunds')} component={Refunds} />
        <Route path={appHref('/promo-codes')} component={PromoCodes} />
        <Route path={appHref('/discounts')} component={Discounts} />
        <Route default component={NotFound} />
      </Router>
    </Layout>
  );
}
