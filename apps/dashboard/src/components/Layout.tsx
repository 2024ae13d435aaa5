import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { appHref, appPath } from '../lib/paths.js';
import { useSession, type Me } from '../lib/session.js';
import { VerifyBanner } from './VerifyBanner.js';

const CREATOR_LINKS: [string, string][] = [
  ['/series', 'Series'],
  ['/analytics', 'Analytics'],
  ['/payouts', 'Payouts'],
  ['/refunds', 'Refunds'],
  ['/discounts', 'Discounts'],
  ['/promo-codes', 'Promo codes'],
];

export function Layout({ me, children }: { me: Me; children: ComponentChildren }) {
  const path = appPath(useLocation().path);
  const { signOut } = useSession();
  const links: [string, string][] = [['/', 'Overview']];
  if (me.creator) links.push(...CREATOR_LINKS);
  if (me.user.isAdmin) links.push(['/admin', 'Admin'], ['/moderation', 'Moderation']);
  links.push(['/account', 'Account']);
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));

  return (
    <div class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={appHref('/')}>
          Series
        </a>
        <nav aria-label="Main">
          {links.map(([href, label]) => (
            <a key={href} href={appHref(href)} aria-current={current(href) ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div class="account">
          <span class="account-name" title={me.user.email ?? undefined}>
            {me.creator ? `@${me.creator.handle}` : (me.user.email ?? 'Signed in with TikTok')}
          </span>
          <button type="button" class="button link" onClick={() => void signOut()}>
            Sign out
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
