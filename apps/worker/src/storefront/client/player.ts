import { api, codeOf, Offline } from './api.js';
import { $, data, say, t } from './data.js';
import { signIn } from './auth.js';
import { owns } from './viewer.js';

interface Access {
  playbackUrl: string;
  mediaReady: boolean;
  grant: { expiresAt: string };
}

type Episode = NonNullable<typeof data.episodes>[number];

const POSITION = (id: string) => `sf:pos:${id}`;

function savedPosition(id: string): number {
  try {
    return Number(localStorage.getItem(POSITION(id))) || 0;
  } catch {
    return 0;
  }
}

function savePosition(id: string, seconds: number | null) {
  try {
    if (seconds === null) localStorage.removeItem(POSITION(id));
    else localStorage.setItem(POSITION(id), String(Math.floor(seconds)));
  } catch {}
}

let playing: {
  episode: Episode;
  expiresAt: number;
  failures: number;
  lastTime: number;
  lastSaved: number;
  /** False once the viewer paused: a renewed grant then does not start playing by itself. */
  wanted: boolean;
} | null = null;
let onNext: ((episode: Episode) => void) | null = null;

/** What the "next episode" button does for an episode the viewer cannot play yet (buy it). */
export function whenNextNeedsBuying(handler: (episode: Episode) => void) {
  onNext = handler;
}

const video = () => $<HTMLVideoElement>('sf-video');

async function fetchAccess(episode: Episode): Promise<Access | null> {
  let answer;
  try {
    answer = await api<Access>(`/v1/episodes/${episode.id}/access`);
  } catch (err) {
    say(t(err instanceof Offline ? 'client.network' : 'client.playError'), 'bad');
    return null;
  }
  if (answer.status === 200) {
    if (!answer.body.mediaReady) {
      say(t('client.noVideo'), 'bad');
      return null;
    }
    return answer.body;
  }
  const code = codeOf(answer);
  if (answer.status === 401 && (await signIn())) return fetchAccess(episode);
  if (code === 'not_released') {
    const at = (answer.body as { releaseAt?: string } | null)?.releaseAt;
    say(
      t('client.notReleased', {
        date: at ? new Date(at).toLocaleDateString(data.locale, { dateStyle: 'medium', timeZone: 'UTC' }) : '',
      }),
      'bad',
    );
  } else if (answer.status === 404) say(t('client.offSale'), 'bad');
  else if (answer.status !== 401) say(t('client.playError'), 'bad');
  return null;
}

/** Starts playing, with sound if the browser allows it without a tap, muted otherwise (with a button for sound). */
async function start(el: HTMLVideoElement) {
  const unmute = $('sf-unmute')!;
  try {
    el.muted = false;
    await el.play();
    unmute.hidden = true;
  } catch (err) {
    if ((err as DOMException)?.name !== 'NotAllowedError') return;
    el.muted = true;
    unmute.hidden = false;
    await el.play().catch(() => undefined);
  }
}

function load(el: HTMLVideoElement, access: Access, at: number, autoplay: boolean) {
  el.src = access.playbackUrl;
  el.addEventListener(
    'loadedmetadata',
    () => {
      if (at > 0 && at < el.duration - 3) el.currentTime = at;
      if (autoplay) void start(el);
    },
    { once: true },
  );
  el.load();
}

/** Plays an episode in the page's player, from where this browser stopped last time. */
export async function play(episodeId: string, { scroll = true } = {}) {
  const episode = data.episodes?.find((e) => e.id === episodeId);
  const el = video();
  const section = $('sf-player');
  if (!episode || !el || !section) return;
  section.hidden = false;
  $('sf-now')!.textContent = t('client.loading');
  $('sf-next')!.hidden = true;
  for (const row of document.querySelectorAll('[data-episode-row]')) {
    row.setAttribute('aria-current', row.getAttribute('data-episode-row') === episodeId ? 'true' : 'false');
  }
  if (scroll) section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  // The episode's thumbnail (a frame its creator picked) shows until the video plays.
  el.poster = document.querySelector(`[data-episode-row="${episodeId}"]`)?.getAttribute('data-thumb') ?? '';
  const access = await fetchAccess(episode);
  if (!access) {
    section.hidden = true;
    return;
  }
  playing = {
    episode,
    expiresAt: Date.parse(access.grant.expiresAt),
    failures: 0,
    lastTime: 0,
    lastSaved: 0,
    wanted: true,
  };
  $('sf-now')!.textContent = t('client.nowPlaying', { number: episode.number, title: episode.title });
  load(el, access, savedPosition(episode.id), true);
}

/** A playback grant lives minutes: when one lapses mid-episode, get a fresh one and carry on from the same second. */
async function recover(el: HTMLVideoElement) {
  if (!playing) return;
  if (++playing.failures > 3) {
    say(t('client.playError'), 'bad');
    return;
  }
  const at = playing.lastTime;
  const access = await fetchAccess(playing.episode);
  if (!access || !playing) return;
  playing.expiresAt = Date.parse(access.grant.expiresAt);
  load(el, access, at, playing.wanted);
}

export function setUpPlayer() {
  const el = video();
  if (!el) return;
  el.addEventListener('error', () => void recover(el));
  el.addEventListener('timeupdate', () => {
    if (!playing) return;
    playing.lastTime = el.currentTime;
    if (el.currentTime > 1) playing.failures = 0;
    if (Math.abs(el.currentTime - playing.lastSaved) >= 5) {
      playing.lastSaved = el.currentTime;
      savePosition(playing.episode.id, el.currentTime);
    }
  });
  // Seeking after the grant lapsed would fail on the next range request: renew first.
  el.addEventListener('seeking', () => {
    if (playing && Date.now() > playing.expiresAt - 5_000) {
      playing.lastTime = el.currentTime;
      void recover(el);
    }
  });
  el.addEventListener('play', () => {
    if (playing) playing.wanted = true;
  });
  el.addEventListener('pause', () => {
    if (!playing || el.error) return;
    if (!el.ended) playing.wanted = false;
    savePosition(playing.episode.id, el.currentTime);
  });
  el.addEventListener('ended', () => {
    if (!playing) return;
    savePosition(playing.episode.id, null);
    const next = data.episodes?.find((e) => e.number === playing!.episode.number + 1);
    const button = $<HTMLButtonElement>('sf-next')!;
    if (!next || !next.released) return;
    button.textContent = t('client.next', { title: next.title });
    button.hidden = false;
    button.onclick = () => (owns(next.id) ? void play(next.id) : onNext?.(next));
    button.focus();
  });
  $('sf-unmute')!.addEventListener('click', () => {
    el.muted = false;
    $('sf-unmute')!.hidden = true;
  });
}
