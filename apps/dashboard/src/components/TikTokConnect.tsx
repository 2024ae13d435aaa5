import { useState } from 'preact/hooks';
import { api, ApiFailure, request, type Body } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import { formatDateTime } from '../lib/format.js';
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
            ? `Your handle is now @${res.handle}: links to the old one lead here.`
            : 'Up to date.',
        reconnect: false,
      });
      onDone();
      await refresh();
    } catch (err) {
      const code = err instanceof ApiFailure ? err.code : null;
      setNote({ text: err instanceof ApiFailure ? err.message : String(err), reconnect: code === 'tiktok_reconnect' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <p>
        <button type="button" class="button" disabled={busy} onClick={() => void recheck()}>
          {busy ? 'Checking…' : 'Check again'}
        </button>{' '}
        <span class="muted">(picks up a new handle or follower count)</span>
      </p>
      {note && (
        <p class={note.reconnect ? 'notice warning' : 'muted'} role="status">
          {note.text} {note.reconnect && <a href={connectHref()}>Connect TikTok again</a>}
        </p>
      )}
    </>
  );
}

export function TikTokConnectCard({ verified }: { verified: boolean }) {
  const tiktok = useTikTok();
  return (
    <div class="card" aria-labelledby="tiktok-title">
      <h2 id="tiktok-title">TikTok</h2>
      <Async resource={tiktok} loadingLabel="Checking your TikTok connection…">
        {({ configured, account }) => {
          if (!configured) {
            return (
              <p class="notice warning">
                TikTok sign-in is not set up on this server. You can still claim your handle by typing it: an admin
                checks it before you can sell.
              </p>
            );
          }
          if (!account) {
            return (
              <>
                <p>
                  Connect your TikTok account to prove the handle is yours: your videos can then be linked only by you,
                  and viewers see you as a verified creator.
                </p>
                <a class="button primary" href={connectHref()}>
                  Connect TikTok
                </a>
              </>
            );
          }
          return (
            <>
              <p>
                Connected as <strong>@{account.username ?? '…'}</strong>
                {account.displayName ? ` (${account.displayName})` : ''}
                {account.isVerified && <span class="badge success"> TikTok verified</span>}
                {verified && <span class="badge success"> Verified creator</span>}
              </p>
              <p class="muted">
                {account.followerCount !== null && `${account.followerCount.toLocaleString('en-US')} followers · `}
                {account.videoCount !== null && `${account.videoCount.toLocaleString('en-US')} videos · `}
                checked {formatDateTime(account.checkedAt)}
              </p>
              {!account.canCheckVideos && (
                <p class="notice warning">
                  Series cannot check your videos with this connection any more.{' '}
                  <a href={connectHref()}>Connect TikTok again</a> to link videos.
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
