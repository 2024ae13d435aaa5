// The dashboard in French, page by page (issue 18): every text from the dashboard.* catalogue in the chosen
// language (GET /v1/texts/dashboard), numbers, prices and dates through Intl in that language.
import { fireEvent, render, screen, within } from '@testing-library/preact';
import { MAX_EPISODES_PER_SERIES } from '@series/core';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { apiError, mockApi } from './support/mock-api.js';
import { ownerEpisode, ownerSeries } from './support/owner-series.js';

const NB = '\u202f';
const creator = {
  id: 'cr_1',
  handle: 'night',
  displayName: 'Night',
  status: 'approved' as const,
  statusMeaning: 'Approved: you can publish series and sell episodes',
  createdAt: '2026-01-01T00:00:00.000Z',
  statusChangedAt: '2026-01-01T00:00:00.000Z',
  verifiedBy: null,
};
const me = {
  user: { id: 'usr_1', email: null, createdAt: '2026-01-01T00:00:00.000Z', isAdmin: true, emailVerified: true },
  creator,
};
const open = (path: string, locale: 'en' | 'fr' = 'fr') => {
  localStorage.setItem('series.dashboard.locale', locale);
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
};

afterEach(() => localStorage.clear());

describe('the dashboard in French', () => {
  it('signs in in French, with the share a creator keeps as a French percentage', async () => {
    mockApi({
      'GET /v1/me': { status: 401, body: apiError('unauthorized', 'Sign in first') },
      'GET /v1/commission': { status: 200, body: { bps: 1250 } },
    });
    open('/');
    const form = await screen.findByRole('form', { name: 'Se connecter' });
    expect(screen.getByRole('link', { name: 'Continuer avec TikTok' })).toBeTruthy();
    await screen.findByText(/Vous gardez/);
    expect(document.querySelector('.lead')!.textContent).toMatch(
      // Intl's French percent (a no-break space before %, narrow or not by ICU version).
      /^Vendez les épisodes premium de vos séries à vos spectateurs\. Vous gardez 87,5[\u00a0\u202f]% de chaque vente\.$/,
    );
    expect(screen.getByRole('tab', { name: 'Créer un compte' })).toBeTruthy();
    expect(within(form).getByLabelText('Mot de passe')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Se connecter' })).toBeTruthy();
    expect(screen.getByRole('link', { name: `Mot de passe oublié${NB}?` })).toBeTruthy();
  });

  it('names the navigation, the TikTok-only account and signing out in French', async () => {
    mockApi({ 'GET /v1/me': { status: 200, body: { ...me, creator: null } } });
    open('/account');
    const nav = await screen.findByRole('navigation', { name: 'Principale' });
    await within(nav).findByRole('link', { name: 'Vue d’ensemble' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Vue d’ensemble', 'Administration', 'Modération', 'Compte']);
    expect(screen.getByText('Connecté avec TikTok')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Se déconnecter' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Aller au contenu' })).toBeTruthy();
  });
  it('shows the overview in French: status, commission as a French percentage, dates and counts with plurals', async () => {
    const series = (id: string, status: string, episodeCount: number) => ({
      id,
      title: id,
      description: '',
      coverUrl: null,
      currency: 'EUR',
      bundlePrice: null,
      status,
      episodeCount,
      priceRange: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publishedAt: null,
    });
    mockApi({
      'GET /v1/me': {
        status: 200,
        body: { ...me, user: { ...me.user, isAdmin: false }, creator: { ...creator, status: 'pending' } },
      },
      'GET /v1/commission': { status: 200, body: { bps: 1250 } },
      'GET /v1/me/series': { status: 200, body: { series: [series('a', 'published', 1), series('b', 'draft', 0)] } },
    });
    open('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Vue d’ensemble' })).toBeTruthy();
    expect(await screen.findByText('2 séries (1 publiée), 1 épisode en tout.', { exact: false })).toBeTruthy();
    expect(screen.getByText('En attente d’approbation').className).toContain('warning');
    expect(screen.getByText(/^Nous ouvrons Series aux créateurs progressivement/).textContent).toContain(
      'sous 30 jours',
    );
    // 2026-01-01T00:00Z in French, whatever the test machine's time zone.
    expect(screen.getByText(/^depuis le /).textContent).toMatch(/^depuis le (1|31) (janv\.|déc\.) 202[56]/);
    expect(await screen.findByTestId('commission')).toHaveProperty(
      'textContent',
      expect.stringMatching(
        /^Commission de la plateforme aujourd’hui\u202f: 12,5[\u00a0\u202f]%\. Vous gardez 87,5[\u00a0\u202f]% /,
      ),
    );
    expect(screen.getByText(/^Votre boutique ouvre dès qu’un admin approuve votre compte/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Gérer les séries' })).toBeTruthy();
  });
  it('shows payouts in French: euros, months, statuses, a month’s purchases with their rate', async () => {
    const zero = { sales: 1, gross: 0, refunded: 0, commission: 0, payout: 0 };
    const statement = (month: string, status: string, payout: number) => ({
      month,
      currency: 'EUR',
      ...zero,
      gross: payout,
      payout,
      carriedIn: 0,
      balance: payout,
      threshold: 5000,
      status,
      paidAmount: status === 'paid' ? payout : null,
      paidAt: status === 'paid' ? '2026-02-15T10:00:00.000Z' : null,
    });
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [] } },
      'GET /v1/me/stripe': {
        status: 200,
        body: { stripe: { mode: 'test', accountId: null, chargesEnabled: false, canSell: true } },
      },
      'GET /v1/payouts': {
        status: 200,
        body: {
          currentMonth: '2026-03',
          thresholds: { EUR: 5000 },
          balances: [{ currency: 'EUR', earned: 122_099, paid: 6_000, pending: 116_099, due: 0, threshold: 5000 }],
          statements: [statement('2026-03', 'open', 116_099), statement('2026-01', 'paid', 6_000)],
        },
      },
      'GET /v1/payouts/purchases': {
        status: 200,
        body: {
          month: '2026-01',
          truncated: false,
          purchases: [
            {
              id: 'pur_1',
              paidAt: '2026-01-05T12:00:00.000Z',
              seriesId: 'ser_1',
              seriesTitle: 'Night Ferry',
              episodeId: null,
              episodeTitle: null,
              currency: 'EUR',
              amount: 6_000,
              commissionBps: 1_250,
              commission: 750,
              payout: 5_250,
              refunded: 0,
              status: 'paid',
              disputeState: null,
            },
          ],
        },
      },
    });
    open('/payouts');
    const earned = await screen.findByText('Gagné à ce jour');
    const euros = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(euros(earned.closest('.kpi')!.querySelector('dd')!.textContent!)).toBe('1 220,99 €');
    expect(euros(screen.getByText(/^Versé chaque mois dès que le solde atteint/).textContent!)).toBe(
      'Versé chaque mois dès que le solde atteint 50,00 €.',
    );
    expect(screen.getByText(/^Les paiements sont en mode test\s:/)).toBeTruthy();
    const table = screen.getByRole('table', { name: /^Les plus récents d’abord\s; mois et jours en UTC$/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['mars 2026 EUR', 'janvier 2026 EUR']);
    expect(rows.map((r) => r.querySelector('.badge')!.textContent)).toEqual(['En cours', 'Versé']);
    expect(rows[0]!.querySelector('td:nth-of-type(6)')!.getAttribute('data-label')).toBe('Solde');
    expect(euros(rows[0]!.querySelector('td:nth-of-type(6)')!.textContent!)).toBe('1 160,99 €');
    fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Achats' }));
    const purchase = (await screen.findByRole('rowheader', { name: 'Night Ferry — série entière' })).closest('tr')!;
    expect(euros(purchase.textContent!)).toContain('60,00 €12,5 %7,50 €52,50 €Terminé');
    expect(screen.getByRole('button', { name: 'Masquer les achats' })).toBeTruthy();
  });
  it('shows the admin page in French: creators with counts and plurals, the commission, payouts due, the audit log', async () => {
    const big = {
      ...creator,
      id: 'cr_big',
      handle: 'lumen.studio',
      status: 'pending' as const,
      verifiedBy: 'tiktok' as const,
      email: null,
      tiktok: {
        username: 'lumen.studio',
        followerCount: 125_400,
        videoCount: 1,
        isVerified: true,
        checkedAt: '2026-11-02T10:00:00.000Z',
      },
      meetsCriteria: true,
      bioCode: null,
    };
    const settings = { minFollowers: 10_000, minVideos: 3, autoApprove: true, requireVerification: false };
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, creator: null } },
      'GET /v1/admin/creators': { status: 200, body: { creators: [big], criteria: settings } },
      'GET /v1/admin/verification': { status: 200, body: { settings: { ...settings, updatedAt: null } } },
      'GET /v1/admin/commission': {
        status: 200,
        body: {
          bps: 1250,
          history: [
            { bps: 1250, effectiveAt: '2026-11-01T00:00:00.000Z' },
            { bps: 1000, effectiveAt: '2026-01-01T00:00:00.000Z' },
          ],
        },
      },
      'GET /v1/admin/payouts': {
        status: 200,
        body: {
          currentMonth: '2026-11',
          statements: [
            {
              handle: 'night',
              displayName: 'Night',
              month: '2026-10',
              currency: 'EUR',
              sales: 1,
              gross: 5_497,
              refunded: 0,
              commission: 0,
              payout: 5_497,
              carriedIn: 0,
              balance: 5_497,
              threshold: 5000,
              status: 'due',
              paidAmount: null,
              paidAt: null,
            },
          ],
        },
      },
      'GET /v1/admin/audit': {
        status: 200,
        body: {
          entries: [
            {
              action: 'payout.record',
              target: 'night',
              detail: { month: '2026-09', currency: 'EUR', amount: 5_497 },
              actor: 'admin@example.test',
              at: '2026-10-02T10:00:00.000Z',
            },
            {
              action: 'commission.set',
              target: 'platform',
              detail: { from: 1000, to: 1250 },
              actor: 'admin@example.test',
              at: '2026-11-01T00:00:00.000Z',
            },
          ],
        },
      },
    });
    open('/admin');
    expect(await screen.findByRole('heading', { level: 1, name: 'Administration' })).toBeTruthy();
    const row = (await screen.findByRole('rowheader', { name: '@lumen.studio' })).closest('tr')!;
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain(row.textContent!)).toContain('125 400 abonnés · 1 vidéo');
    expect(within(row).getByText('En attente d’approbation')).toBeTruthy();
    expect(within(row).getByText('Remplit les critères')).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Approuver' })).toBeTruthy();
    expect(plain(screen.getByTestId('criteria').textContent!)).toBe(
      'Critères : au moins 10 000 abonnés et 3 vidéos sur TikTok. Les créateurs vérifiés avec TikTok qui les remplissent sont approuvés aussitôt.',
    );
    const now = await screen.findByText(/^Actuellement/);
    expect(plain(now.closest('p')!.textContent!)).toBe(
      'Actuellement : 12,5 % — les créateurs reçoivent 87,5 % de chaque vente.',
    );
    const due = (await screen.findByRole('rowheader', { name: /@night/ })).closest('tr')!;
    expect(plain(due.textContent!)).toContain('octobre 202654,97 €');
    expect(within(due).getByRole('button', { name: 'Enregistrer le versement' })).toBeTruthy();
    const paid = (await screen.findByRole('rowheader', { name: 'Versement enregistré' })).closest('tr')!;
    expect(plain(paid.textContent!)).toContain('54,97 € pour septembre 2026');
    const set = screen.getByRole('rowheader', { name: 'Commission fixée' }).closest('tr')!;
    expect(plain(set.textContent!)).toContain('10 % → 12,5 %');
  });
  it('lists the series in French with plural episodes and French prices, and opens the new-series form in French', async () => {
    const listed = (id: string, status: string, episodeCount: number, bundlePrice: number | null) => ({
      id,
      title: id,
      description: '',
      coverUrl: null,
      currency: 'EUR',
      bundlePrice,
      status,
      episodeCount,
      priceRange: episodeCount ? { min: 299, max: episodeCount > 1 ? 1_299 : 299 } : null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publishedAt: null,
    });
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, user: { ...me.user, isAdmin: false } } },
      'GET /v1/me/series': {
        status: 200,
        body: { series: [listed('Ferry', 'published', 2, 499), listed('Dune', 'draft', 1, null)] },
      },
    });
    open('/series');
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const ferry = (await screen.findByRole('link', { name: 'Ferry' })).closest('li')!;
    expect(within(ferry).getByText('Publiée')).toBeTruthy();
    expect(plain(ferry.querySelector('p')!.textContent!)).toBe(
      `2 épisodes sur ${MAX_EPISODES_PER_SERIES} · EUR · 2,99 €–12,99 € l’épisode · série entière 4,99 €`,
    );
    const dune = screen.getByRole('link', { name: 'Dune' }).closest('li')!;
    expect(within(dune).getByText('Brouillon')).toBeTruthy();
    expect(plain(dune.querySelector('p')!.textContent!)).toBe(
      `1 épisode sur ${MAX_EPISODES_PER_SERIES} · EUR · 2,99 € l’épisode`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Nouvelle série' }));
    const form = screen.getByRole('form', { name: 'Nouvelle série' });
    expect(within(form).getByLabelText('Titre')).toBeTruthy();
    expect(within(form).getByLabelText('Devise')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Créer la série' })).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Annuler' })).toBeTruthy();
  });
  it('shows a series page in French: its line, the sale warnings, the links and the danger zone', async () => {
    const episode = (number: number, extra: Record<string, unknown> = {}) =>
      ownerEpisode(number, { title: `Partie ${number}`, ...extra });
    const series = ownerSeries({
      slug: 'ferry',
      title: 'Ferry',
      currency: 'EUR',
      bundlePrice: 499,
      status: 'draft',
      publishedAt: null,
      episodes: [episode(1), episode(2, { hasVideo: false })],
      warnings: [{ code: 'episode_not_ready', episodeId: 'ep_2', number: 2, title: 'Partie 2' }],
    });
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, user: { ...me.user, isAdmin: false } } },
      'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': { status: 200, body: { series } },
    });
    open('/series/ser_aaaaaaaaaaaaaaaaaaaa');
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const warning = await screen.findByText(/^Pas en vente tant que leur vidéo n’est pas envoyée/);
    expect(plain(warning.closest('[role="status"]')!.textContent!)).toBe(
      'Pas en vente tant que leur vidéo n’est pas envoyée : épisode 2 (« Partie 2 »). Une fois la série publiée, les spectateurs les verront « bientôt disponibles », et personne ne pourra encore les acheter.',
    );
    expect(plain(document.querySelector('.page-head .muted')!.textContent!)).toBe(
      `Brouillon EUR · 2 épisodes sur ${MAX_EPISODES_PER_SERIES} · série entière 4,99 €`,
    );
    expect(screen.getByRole('button', { name: 'Publier' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Liens' })).toBeTruthy();
    expect(screen.getByText(/^Cette série est un brouillon/)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Épisodes' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Supprimer la série' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '← Toutes les séries' })).toBeTruthy();
  });
  it('lists the episodes in French: prices in euros, free, the linked video, the move, edit and delete buttons', async () => {
    const episode = (number: number, extra: Record<string, unknown> = {}) =>
      ownerEpisode(number, { title: `Partie ${number}`, durationSeconds: 90, price: 1_299, ...extra });
    const series = ownerSeries({
      slug: 'ferry',
      title: 'Ferry',
      currency: 'EUR',
      status: 'draft',
      priceRange: { min: 1_299, max: 1_299 },
      publishedAt: null,
      episodes: [
        episode(1, { price: null, free: true }),
        episode(2, { videoId: '7300000000000000001', videoVerified: true }),
      ],
    });
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, user: { ...me.user, isAdmin: false } } },
      'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': { status: 200, body: { series } },
    });
    open('/series/ser_aaaaaaaaaaaaaaaaaaaa');
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const up = await screen.findByRole('button', { name: `Monter «${NB}Partie 2${NB}»` });
    const rows = [...document.querySelectorAll('.episode-list > li .episode-main .muted')].map((e) =>
      plain(e.textContent!),
    );
    expect(rows[0]).toBe('Gratuit · 1:30');
    expect(rows[1]).toBe('12,99 € · 1:30 · lié à la vidéo 7300000000000000001 (la vôtre, vérifiée auprès de TikTok)');
    expect(up).toBeTruthy();
    expect(screen.getByRole('button', { name: `Descendre «${NB}Partie 1${NB}»` })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Modifier' })).toHaveLength(2);
    expect(screen.getAllByRole('button', { name: 'Supprimer' })).toHaveLength(2);
    let asked = '';
    const was = window.confirm;
    window.confirm = (message?: string) => ((asked = message ?? ''), false);
    try {
      fireEvent.click(screen.getAllByRole('button', { name: 'Supprimer' })[0]!);
    } finally {
      window.confirm = was;
    }
    expect(asked).toBe(`Supprimer l’épisode 1, «${NB}Partie 1${NB}»${NB}? Sa vidéo est supprimée aussi.`);
  });
  it('shows an episode’s video upload in French: the file’s size in Mo, the refusal and what to do', async () => {
    const { MediaUpload } = await import('../src/pages/SeriesDetail/MediaUpload.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    const base = {
      id: 'ep_0123456789abcdefghij',
      number: 2,
      title: 'Partie 2',
      durationSeconds: 450,
      price: 299,
      free: false,
      videoId: null,
      releaseAt: null,
      released: true,
      hasVideo: true,
      thumbnailUrl: null,
      sold: false,
      videoVerified: false,
      review: null,
      seriesId: 'ser_0123456789abcdefghij',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const withVideo = { ...base, media: { contentType: 'video/mp4', size: 12_897_485 } };
    const { unmount } = render(<MediaUpload episode={withVideo as never} onUploaded={() => {}} />);
    await screen.findByLabelText('Remplacer la vidéo');
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain(document.querySelector('.media-status')!.textContent!)).toBe(
      'Vidéo : MP4, 12,3 Mo, 7:30 (lue dans le fichier)',
    );
    unmount();
    render(<MediaUpload episode={{ ...base, hasVideo: false, media: null } as never} onUploaded={() => {}} />);
    const input = (await screen.findByLabelText('Envoyer la vidéo')) as HTMLInputElement;
    expect(screen.getByText('Pas encore de vidéo.')).toBeTruthy();
    const file = new File([new TextEncoder().encode('just some notes\n'.repeat(40))], 'notes.mp4', {
      type: 'video/mp4',
    });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
    expect((await screen.findByRole('alert')).textContent).toMatch(/\. Choisissez une vidéo MP4 ou WebM\.$/);
  });
  it('offers the creator’s recent TikTok videos in French, with French dates', async () => {
    const { RecentVideos } = await import('../src/pages/SeriesDetail/RecentVideos.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({
      'GET /v1/me/tiktok/videos': {
        status: 200,
        body: {
          videos: [
            { id: '7300000000000000001', title: '', durationSeconds: 75, createdAt: '2026-03-05T10:00:00.000Z' },
          ],
          cursor: 1234,
        },
      },
    });
    render(<RecentVideos picked="" onPick={() => {}} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Choisir parmi vos vidéos TikTok' }));
    const group = await screen.findByRole('group', { name: 'Vos vidéos TikTok récentes' });
    const pick = await within(group).findByRole('button', { name: 'Vidéo 7300000000000000001' });
    expect(pick.nextElementSibling!.textContent).toMatch(/^1:15 · 5 mars 2026/);
    expect(within(group).getByRole('button', { name: 'Plus de vidéos' })).toBeTruthy();
  });
  it('shows the TikTok connection card in French: plural followers and videos, the check date, check again', async () => {
    const { TikTokConnectCard } = await import('../src/components/TikTokConnect.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/tiktok': {
        status: 200,
        body: {
          configured: true,
          account: {
            username: 'night',
            displayName: 'Night',
            isVerified: true,
            followerCount: 12_345,
            videoCount: 1,
            checkedAt: '2026-03-05T10:00:00.000Z',
            canCheckVideos: false,
          },
        },
      },
      'POST /v1/me/tiktok/recheck': { status: 200, body: { changed: 'renamed', handle: 'nuit' } },
    });
    const { SessionProvider } = await import('../src/lib/session.js');
    render(
      <SessionProvider>
        <TikTokConnectCard verified />
      </SessionProvider>,
    );
    const card = (await screen.findByText('@night')).closest('.card') as HTMLElement;
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(plain(card.querySelector('p')!.textContent!)).toBe(
      'Connecté en tant que @night (Night) Vérifié par TikTok Créateur vérifié',
    );
    expect(plain(card.querySelector('p.muted')!.textContent!)).toMatch(
      /^12 345 abonnés · 1 vidéo · vérifié le 5 mars 2026/,
    );
    expect(within(card).getByText(/^Series ne peut plus vérifier vos vidéos/)).toBeTruthy();
    expect(within(card).getByRole('link', { name: 'Reconnecter TikTok' })).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Vérifier de nouveau' }));
    expect(plain((await within(card).findByRole('status')).textContent!)).toMatch(
      /^Votre pseudo est désormais @nuit : les liens vers l’ancien mènent ici\./,
    );
  });
  it('shows the bio-code card in French: why, the code with its French expiry date, a new code', async () => {
    const { BioCodeCard } = await import('../src/components/BioCode.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    let issued = false;
    mockApi({
      'GET /v1/me/bio-code': () => ({
        status: 200,
        body: { bioCode: issued ? { code: 'SER-4K2P', expiresAt: '2026-03-05T10:00:00.000Z' } : null },
      }),
      'POST /v1/me/bio-code': () => ((issued = true), { status: 200, body: {} }),
    });
    render(<BioCodeCard />);
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    await screen.findByRole('heading', { name: 'Vérifier avec un code de bio' });
    expect(plain((await screen.findByText(/^Impossible de connecter TikTok/)).textContent!)).toContain(
      'vous êtes marqué « vérifié par code de bio ».',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Obtenir un code de bio' }));
    await screen.findByTestId('bio-code');
    expect(screen.getByText(/^Placez ce code n’importe où dans votre bio TikTok/)).toBeTruthy();
    expect(screen.getByText(/^Valable jusqu’au 5 mars 2026/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Obtenir un nouveau code' })).toBeTruthy();
  });
  it('asks a TikTok-only account for its email address in French', async () => {
    mockApi({
      'GET /v1/me': {
        status: 200,
        body: { user: { ...me.user, isAdmin: false, emailVerified: false }, creator: null },
      },
      'GET /v1/me/tiktok': { status: 200, body: { configured: true, account: null } },
      'GET /v1/commission': { status: 200, body: { bps: 1000, history: [] } },
    });
    open('/');
    const form = await screen.findByRole('form', { name: 'Ajoutez votre adresse e-mail' });
    expect(screen.getByRole('heading', { name: 'Ajoutez votre adresse e-mail' })).toBeTruthy();
    expect(screen.getByText(/^Vous vous êtes connecté avec TikTok, qui ne partage pas d’adresse e-mail/)).toBeTruthy();
    expect(within(form).getByLabelText('E-mail')).toBeTruthy();
    expect(within(form).getByLabelText('Mot de passe (facultatif)')).toBeTruthy();
    expect(within(form).getByText(/^Au moins 10 caractères/)).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Ajouter l’e-mail' })).toBeTruthy();
  });
  it('offers to claim a handle in French', async () => {
    const { ClaimHandleForm } = await import('../src/pages/Home/ClaimHandleForm.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    render(<ClaimHandleForm onClaimed={() => {}} />);
    await screen.findByRole('heading', { name: 'Revendiquez votre pseudo sur la plateforme vidéo' });
    expect(screen.getByText(/^Votre pseudo est votre @nom sur la plateforme vidéo\s: les spectateurs/)).toBeTruthy();
    expect(screen.getByLabelText('Pseudo')).toBeTruthy();
    expect(screen.getByText(/^De 2 à 24 lettres/)).toBeTruthy();
    expect(screen.getByLabelText('Nom affiché')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Revendiquer le pseudo' })).toBeTruthy();
  });
  it('says loading, a failure with its retry and a page not found in French (English while the API is down)', async () => {
    const { ErrorNotice, Loading } = await import('../src/components/states.js');
    const { ApiFailure } = await import('../src/lib/api.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    const { unmount } = render(
      <>
        <Loading />
        <ErrorNotice error={new ApiFailure(500, 'internal', 'Boom')} onRetry={() => {}} />
      </>,
    );
    await screen.findByText('Chargement…');
    expect(screen.getByText('Une erreur s’est produite')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
    unmount();
    mockApi({ 'GET /v1/me': { status: 200, body: me } });
    open('/nowhere');
    await screen.findByRole('heading', { level: 1, name: 'Page introuvable' });
    expect(screen.getByText(/^Il n’y a rien à cette adresse\./)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Aller à la vue d’ensemble' })).toBeTruthy();
  });
  it('names a link’s QR code and its downloads in French, the PNG’s size with French digits', async () => {
    const { QrPanel } = await import('../src/components/links/QrPanel.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    render(<QrPanel url="https://series.example/s/ferry" label="Votre page" fileName="ferry" />);
    await screen.findByRole('img', { name: `Code QR de Votre page${NB}: https://series.example/s/ferry` });
    expect(screen.getByText(/^Dans une vidéo, montrez-le en grand/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Télécharger le SVG' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Télécharger le PNG \(1\s\d{3} × 1\s\d{3} px\)$/ })).toBeTruthy();
  });
  it('picks a link’s source in French, with the refusal of a typed word in French', async () => {
    const { SourcePicker } = await import('../src/components/links/SourcePicker.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    render(<SourcePicker id="t" onChange={() => {}} />);
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const group = await screen.findByRole('group', { name: `Où allez-vous le publier${NB}?` });
    expect(within(group).getByLabelText('Aucune')).toBeTruthy();
    expect(screen.getByText(/^Choisissez où va un lien/)).toBeTruthy();
    fireEvent.click(within(group).getByLabelText('video'));
    expect(plain(document.querySelector('.source-picker .hint')!.textContent!)).toBe(
      'Les liens et codes QR ci-dessous se terminent par ?src=video : les Statistiques comptent les vues, les paiements commencés et les achats qui passent par eux.',
    );
    fireEvent.click(within(group).getByLabelText('Autre…'));
    fireEvent.input(screen.getByLabelText('Mot de la source'), { target: { value: 'News Letter' } });
    expect(screen.getByText(/^Utilisez un seul mot court en minuscules/)).toBeTruthy();
  });
  it('shares a link in French: copy, open and QR code buttons, and the copied notice', async () => {
    const { LinkRow } = await import('../src/components/links/ShareLinks.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    const link = { key: 'page', label: 'Votre page', target: { handle: 'night' } };
    render(<LinkRow id="l" link={link} source={null} />);
    await screen.findByRole('button', { name: `Copier le lien${NB}: Votre page` });
    expect(screen.getByRole('link', { name: 'Ouvrir Votre page (nouvel onglet)' }).textContent).toBe('Ouvrir');
    expect(screen.getByRole('button', { name: `Code QR${NB}: Votre page` }).textContent).toBe('Code QR');
    const was = navigator.clipboard;
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async () => {} }, configurable: true });
    try {
      fireEvent.click(screen.getByRole('button', { name: `Copier le lien${NB}: Votre page` }));
      expect((await screen.findByText('Copié')).closest('[role="status"]')).toBeTruthy();
    } finally {
      Object.defineProperty(navigator, 'clipboard', { value: was, configurable: true });
    }
  });
  it('shows the admin verification settings in French, with French numbers and dates', async () => {
    const { VerificationPanel } = await import('../src/pages/Admin/VerificationPanel.js');
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({
      'GET /v1/admin/verification': {
        status: 200,
        body: {
          settings: {
            minFollowers: 10_000,
            minVideos: 0,
            autoApprove: false,
            requireVerification: false,
            updatedAt: '2026-03-05T10:00:00.000Z',
          },
        },
      },
    });
    render(<VerificationPanel onChanged={() => {}} />);
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    await screen.findByRole('heading', { name: 'Vérification' });
    const form = await screen.findByRole('form', { name: 'Critères' });
    expect(within(form).getByLabelText('Au moins ce nombre d’abonnés')).toBeTruthy();
    expect(plain(within(form).getByText(/^TikTok en demande/).textContent!)).toBe(
      'TikTok en demande 10 000 pour ses Series.',
    );
    expect(within(form).getByRole('button', { name: 'Enregistrer les critères' })).toBeTruthy();
    expect(screen.getByLabelText(/^Approuver aussitôt un créateur vérifié avec TikTok/)).toBeTruthy();
    expect(screen.getByLabelText('Seuls les créateurs vérifiés vendent (TikTok ou code de bio)')).toBeTruthy();
    expect(screen.getByText(/^Les créateurs d’avant la vérification/)).toBeTruthy();
    expect(screen.getByText(/^Dernière modification le 5 mars 2026/)).toBeTruthy();
  });
  it('shows the episode form in French: labels, the price bounds in euros, the hints and its buttons', async () => {
    const series = {
      id: 'ser_aaaaaaaaaaaaaaaaaaaa',
      slug: 'ferry',
      title: 'Ferry',
      description: '',
      coverUrl: null,
      currency: 'EUR',
      bundlePrice: null,
      status: 'draft',
      episodeCount: 0,
      priceRange: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publishedAt: null,
      episodes: [],
      warnings: [],
    };
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, user: { ...me.user, isAdmin: false } } },
      'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': { status: 200, body: { series } },
    });
    open('/series/ser_aaaaaaaaaaaaaaaaaaaa');
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const form = await screen.findByRole('form', { name: 'Nouvel épisode' });
    expect(within(form).getByLabelText('Titre')).toBeTruthy();
    const price = within(form).getByLabelText('Prix (EUR)');
    expect(
      plain(document.getElementById(price.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent!),
    ).toMatch(/^De 0,\d\d € à \d+(\s?\d{3})*,\d\d €$/);
    expect(within(form).getByLabelText('Durée (m:ss)')).toBeTruthy();
    expect(within(form).getByText(/^Au plus \d+:\d\d\. Téléverser la vidéo/)).toBeTruthy();
    expect(within(form).getByLabelText('Vidéo liée (facultatif)')).toBeTruthy();
    expect(within(form).getByText(/^La vidéo de la plateforme qui fait vendre cet épisode/)).toBeTruthy();
    fireEvent.click(within(form).getByLabelText('Épisode gratuit'));
    expect(within(form).getByText(/^Tout le monde peut regarder un épisode gratuit/)).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Ajouter l’épisode' })).toBeTruthy();
  });
  it('shows analytics in French: filters, the period in French days, the KPI cards in euros', async () => {
    const range = { from: null, to: '2026-03-10' };
    const zero = { sales: 0, gross: 0, refunded: 0, commission: 0, payout: 0 };
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, user: { ...me.user, isAdmin: false } } },
      'GET /v1/me/series': {
        status: 200,
        body: {
          series: [
            {
              id: 'ser_1',
              title: 'Ferry',
              description: '',
              coverUrl: null,
              currency: 'EUR',
              bundlePrice: null,
              status: 'published',
              episodeCount: 1,
              priceRange: null,
              createdAt: '2026-01-01T00:00:00.000Z',
              updatedAt: '2026-01-01T00:00:00.000Z',
              publishedAt: null,
            },
          ],
        },
      },
      'GET /v1/analytics/summary': {
        status: 200,
        body: {
          range,
          currentCommissionBps: 1250,
          totals: [
            {
              currency: 'EUR',
              ...zero,
              sales: 1_200,
              gross: 123_456,
              refunded: 1_000,
              commission: 15_307,
              payout: 107_149,
              buyers: 1_100,
            },
          ],
        },
      },
      'GET /v1/analytics/episodes': { status: 200, body: { range, rows: [] } },
      'GET /v1/analytics/daily': { status: 200, body: { range, rows: [] } },
      'GET /v1/analytics/funnel': { status: 200, body: { range, rows: [], sources: [], sourceDays: [] } },
    });
    open('/analytics?range=all');
    const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    const gross = await screen.findByText('Ventes brutes');
    expect(plain(gross.closest('.kpi')!.textContent!)).toBe('Ventes brutes1 234,56 €10,00 € remboursé');
    expect(plain(screen.getByText('Commission de la plateforme').closest('.kpi')!.textContent!)).toBe(
      'Commission de la plateforme153,07 €12,5 % aujourd’hui',
    );
    expect(plain(screen.getByText(/^Votre part/).textContent!)).toBe('Votre part (87,5 %)');
    expect(plain(screen.getByText('Acheteurs uniques').closest('.kpi')!.textContent!)).toBe('Acheteurs uniques1 100');
    const filters = screen.getByRole('form', { name: 'Filtres des statistiques' });
    expect(within(filters).getByRole('radio', { name: 'Depuis le début' })).toHaveProperty('checked', true);
    expect(within(filters).getByRole('option', { name: 'Toutes les séries en EUR' })).toBeTruthy();
    expect(screen.getByText('Boutons de déblocage affichés')).toBeTruthy();
    for (const name of [
      'Ventes et gains par épisode',
      'Gains par jour',
      'Entonnoir de déblocage',
      'Chiffres par épisode',
    ])
      expect(screen.getByRole('heading', { level: 2, name })).toBeTruthy();
    expect(screen.getByText('Aucun gain sur cette période')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Exporter le CSV' })).toBeTruthy();
    const hint = screen.getByText('?src=', { selector: 'code' }).closest('p')!;
    expect(hint.textContent).toBe(
      'Les pages vues de votre boutique, et les paiements et achats commencés là, selon le mot (?src=) du lien par lequel ils sont venus.',
    );
    expect(screen.getByText(/^Les vues apparaissent dès que des spectateurs/)).toBeTruthy();
    expect(screen.getByText('Aucune visite de la boutique sur cette période')).toBeTruthy();
    expect(screen.getByText('Aucune vente sur cette période.')).toBeTruthy();
    expect(screen.getByText(/^Depuis le début jusqu’au/).textContent).toMatch(
      /^Depuis le début jusqu’au \d{1,2} .+ 20\d\d \(jours en UTC\)\. Montants en euro \(EUR\)\.$/,
    );
  });
});
