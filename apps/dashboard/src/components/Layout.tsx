import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { appHref, appPath } from '../lib/paths.js';
import { useT } from '../lib/i18n.js';
import { useSession, type Me } from '../lib/session.js';
import { VerifyBanner } from './VerifyBanner.js';

type NavKey = `dashboard.nav.${'series' | 'analytics' | 'payouts' | 'refunds' | 'discounts' | 'promoCodes'}`;
const CREATOR_LINKS: [string, NavKey][] = [
  ['/series', 'dashboard.nav.series'],
  ['/analytics', 'dashboard.nav.analytics'],
  ['/payouts', 'dashboard.nav.payouts'],
  ['/refunds', 'dashboard.nav.refunds'],
  ['/discounts', 'dashboard.nav.discounts'],
  ['/promo-codes', 'dashboard.nav.promoCodes'],
];

export function Layout({ me, children }: { me: Me; children: ComponentChildren }) {
  const path = appPath(useLocation().path);
  const { signOut } = useSession();
  const t = useT();
  const links: [string, string][] = [['/', t.t('dashboard.nav.overview')]];
  if (me.creator) links.push(...CREATOR_LINKS.map(([href, key]): [string, string] => [href, t.t(key)]));
  if (me.user.isAdmin)
    links.push(['/admin', t.t('dashboard.nav.admin')], ['/moderation', t.t('dashboard.moderation.nav')]);
  links.push(['/account', t.t('dashboard.nav.account')]);
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        {t.t('dashboard.nav.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href={appHref('/')}>
          Series
        </a>
        <nav aria-label={t.t('dashboard.nav.main')}>
          {links.map(([href, label]) => (
            <a key={href} href={appHref(href)} aria-current={current(href) ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div class="account">
          <span class="account-name" title={me.user.email ?? undefined}>
            {me.creator ? `@${me.creator.handle}` : (me.user.email ?? t.t('dashboard.nav.tiktokUser'))}
          </span>
          <button type="button" class="button link" onClick={() => void signOut()}>
            {t.t('dashboard.nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" class="page">
        <VerifyBanner me={me} />
        {children}
      </main>
    </div>
  );
}
