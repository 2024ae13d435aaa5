import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { API_ORIGIN } from '../../lib/api.js';
import { qrFileName, storefrontLink, type StorefrontTarget } from '../../lib/links.js';
import { useT } from '../../lib/i18n.js';
import { SourcePicker, type SourceState } from './SourcePicker.js';

export interface LinkSpec {
  key: string;
  /** Names the link for people and for assistive technology ("Your page", "Episode 2: …"). */
  label: string;
  target: StorefrontTarget;
  /** Shown under the link (e.g. "No video yet: the page says coming soon"). */
  note?: string | undefined;
}

/**
 * Links to the creator's storefront pages, ready to paste, each with its QR code. One source picker applies
 * to every link in the group; `more` links sit in a collapsed list (a series' episodes: up to 80).
 */
export function ShareLinks({
  links,
  more,
  children,
}: {
  links: LinkSpec[];
  more?: { summary: string; links: LinkSpec[] } | undefined;
  children?: ComponentChildren;
}) {
  const id = useId();
  const [{ source }, setSource] = useState<SourceState>({ source: null, error: null });
  const row = (link: LinkSpec) => <LinkRow key={link.key} id={`${id}-${link.key}`} link={link} source={source} />;
  return (
    <div class="share-links">
      {children}
      <SourcePicker id={id} onChange={setSource} />
      {links.map(row)}
      {more && more.links.length > 0 && (
        <details class="share-more">
          <summary>{more.summary}</summary>
          {more.links.map(row)}
        </details>
      )}
    </div>
  );
}

type QrModule = typeof import('./QrPanel.js');
let qrModule: Promise<QrModule> | null = null;
/** The QR encoder is fetched the first time a code is shown, never with the page (bundle budget). */
const loadQr = () =>
  (qrModule ??= import('./QrPanel.js').catch((err: unknown) => ((qrModule = null), Promise.reject(err))));

/** One link: the address in a read-only field, Copy (with a spoken "Copied"), Open, and its QR code on demand. */
export function LinkRow({ id, link, source }: { id: string; link: LinkSpec; source: string | null }) {
  const t = useT();
  const url = storefrontLink(API_ORIGIN, link.target, source);
  const input = useRef<HTMLInputElement>(null);
  // Kept with the address it is about: once the source changes, "Copied" no longer stands.
  const [copied, setCopied] = useState<{ text: string; url: string; n: number } | null>(null);
  const status = copied?.url === url ? copied : null;
  const [qrOpen, setQrOpen] = useState(false);
  const [qr, setQr] = useState<{ Panel?: QrModule['QrPanel']; failed?: boolean }>({});
  // A new node each time (`n` is its key): live regions announce added nodes, so a second Copy is heard too.
  const setStatus = (text: string) => setCopied((c) => ({ text, url, n: (c?.n ?? 0) + 1 }));

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 5_000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setStatus(t.t('dashboard.share.copied'));
    } catch {
      // No clipboard access (an http:// address, a denied permission): the text is selected for the keyboard,
      // and the older copy command is tried, which browsers still honour during a click.
      input.current?.focus();
      input.current?.select();
      let done = false;
      try {
        done = document.execCommand('copy');
      } catch {
        done = false;
      }
      setStatus(done ? t.t('dashboard.share.copied') : t.t('dashboard.share.selected'));
    }
  }

  function loadPanel() {
    setQr({});
    loadQr().then(
      (m) => setQr({ Panel: m.QrPanel }),
      () => setQr({ failed: true }),
    );
  }

  function toggleQr() {
    setQrOpen(!qrOpen);
    if (!qrOpen && !qr.Panel) loadPanel();
  }

  const Panel = qr.Panel;
  return (
    <div class="share-link">
      <label for={id}>{link.label}</label>
      <div class="share-row">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={`${id}-status`}
        />
        <div class="share-actions">
          <button
            type="button"
            class="button small primary"
            aria-label={t.t('dashboard.share.copyLabel', { label: link.label })}
            onClick={() => void copy()}
          >
            {t.t('dashboard.share.copy')}
          </button>
          <a
            class="button small"
            href={url}
            target="_blank"
            rel="noopener"
            aria-label={t.t('dashboard.share.openLabel', { label: link.label })}
          >
            {t.t('dashboard.share.open')}
          </a>
          <button
            type="button"
            class="button small"
            aria-expanded={qrOpen}
            aria-controls={`${id}-qr`}
            aria-label={t.t('dashboard.share.qrLabel', { label: link.label })}
            onClick={toggleQr}
          >
            {t.t('dashboard.share.qr')}
          </button>
        </div>
        <p class="copy-status" id={`${id}-status`} role="status" aria-live="polite">
          {status && <span key={status.n}>{status.text}</span>}
        </p>
      </div>
      {link.note && <p class="hint">{link.note}</p>}
      <div id={`${id}-qr`} hidden={!qrOpen}>
        {qrOpen &&
          (Panel ? (
            <Panel url={url} label={link.label} fileName={qrFileName(link.target, source)} />
          ) : qr.failed ? (
            <p class="form-error" role="alert">
              {t.t('dashboard.share.qrFailed')}{' '}
              <button type="button" class="button link" onClick={loadPanel}>
                {t.t('dashboard.share.qrRetry')}
              </button>
              .
            </p>
          ) : (
            <p class="muted" role="status">
              {t.t('dashboard.share.drawing')}
            </p>
          ))}
      </div>
    </div>
  );
}
