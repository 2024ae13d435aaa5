import { useState } from 'preact/hooks';
import { api, ApiFailure, request, type Body } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import { errorText, useT } from '../lib/i18n.js';
import { appHref } from '../lib/paths.js';
import { useResource } from '../lib/use-resource.js';
import { Async } from './states.js';

export type TikTokConnection = Body<Awaited<ReturnType<typeof api.v1.me.tiktok.$get>>>;

/** Where "Connect TikTok" goes: the worker's Login Kit start, back to this page afterwards. */
export function connectHref(returnTo: string = appHref('/')): string {
  return `/v1/auth/tiktok/start?${new URLSearchParams({ intent: 'creator', returnTo })}`;
}

/** The caller's TikTok connection, as the API says it (never a token). */
export function useTikTok() {
  return useResource(() => request(() => api.v1.me.tiktok.$get()), []);
}

/**
 * "Connect TikTok": proves the handle is the creator's own (and which videos are theirs). Connected, it shows what
 * TikTok said and when; a connection that can no longer check videos offers to connect again.
 */
/**
 * "Check again": asks the worker to read the TikTok account again with the kept connection, which picks up a new
 * handle (the old one then redirects) or follower count; a lapsed connection asks to connect again.
 */
function RecheckButton({ onDone }: { onDone: () => void }) {
  const t = useT();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; reconnect: boolean } | null>(null);
  async function recheck() {
    setBusy(true);
    setNote(null);
    try {
      const res = await request(() => api.v1.me.tiktok.recheck.$post());
      setNote({
        text:
          res.changed === 'renamed'
            ? t.t('dashboard.tiktok.renamed', { handle: res.handle ?? '' })
            : t.t('dashboard.tiktok.upToDate'),
        reconnect: false,
      });
      onDone();
      await refresh();
    } catch (err) {
      const code = err instanceof ApiFailure ? err.code : null;
      setNote({
        text: err instanceof ApiFailure ? errorText(t, err) : String(err),
        reconnect: code === 'tiktok_reconnect',
      });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <p>
        <button type="button" class="button" disabled={busy} onClick={() => void recheck()}>
          {busy ? t.t('dashboard.tiktok.checking') : t.t('dashboard.tiktok.checkAgain')}
        </button>{' '}
        <span class="muted">{t.t('dashboard.tiktok.checkAgainHint')}</span>
      </p>
      {note && (
        <p class={note.reconnect ? 'notice warning' : 'muted'} role="status">
          {note.text} {note.reconnect && <a href={connectHref()}>{t.t('dashboard.tiktok.reconnect')}</a>}
        </p>
      )}
    </>
  );
}

export function TikTokConnectCard({ verified }: { verified: boolean }) {
  const t = useT();
  const tiktok = useTikTok();
  return (
    <div class="card" aria-labelledby="tiktok-title">
      <h2 id="tiktok-title">TikTok</h2>
      <Async resource={tiktok} loadingLabel={t.t('dashboard.tiktok.loading')}>
        {({ configured, account }) => {
          if (!configured) {
            return <p class="notice warning">{t.t('dashboard.tiktok.notConfigured')}</p>;
          }
          if (!account) {
            return (
              <>
                <p>{t.t('dashboard.tiktok.why')}</p>
                <a class="button primary" href={connectHref()}>
                  {t.t('dashboard.tiktok.connect')}
                </a>
              </>
            );
          }
          return (
            <>
              <p>
                {t.t('dashboard.tiktok.connectedAs')} <strong>@{account.username ?? '…'}</strong>
                {account.displayName ? ` (${account.displayName})` : ''}
                {account.isVerified && <span class="badge success"> {t.t('dashboard.tiktok.tiktokVerified')}</span>}
                {verified && <span class="badge success"> {t.t('dashboard.tiktok.verifiedCreator')}</span>}
              </p>
              <p class="muted">
                {account.followerCount !== null &&
                  `${t.plural('dashboard.tiktok.followers', account.followerCount)} · `}
                {account.videoCount !== null && `${t.plural('dashboard.tiktok.videos', account.videoCount)} · `}
                {t.t('dashboard.tiktok.checked', { date: t.dateTime(account.checkedAt) })}
              </p>
              {!account.canCheckVideos && (
                <p class="notice warning">
                  {t.t('dashboard.tiktok.lapsed')} <a href={connectHref()}>{t.t('dashboard.tiktok.reconnect')}</a>{' '}
                  {t.t('dashboard.tiktok.lapsedAfter')}
                </p>
              )}
              <RecheckButton onDone={tiktok.reload} />
            </>
          );
        }}
      </Async>
    </div>
  );
}
