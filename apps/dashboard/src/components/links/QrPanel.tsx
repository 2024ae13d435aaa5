import { useMemo, useState } from 'preact/hooks';
import { downloadFile } from '../../lib/csv.js';
import { useT } from '../../lib/i18n.js';
import { qrMatrix, qrPath, qrPng, qrSvgFile } from '../../lib/qr.js';

/** PNG downloads are at least this wide: sharp on a 1080p video frame. */
const PNG_PIXELS = 1024;

/**
 * The QR code of one link, drawn as inline SVG (nothing for the CSP to allow), with downloads for a video
 * editor. Loaded on demand by ShareLinks: this module brings the encoder.
 */
export function QrPanel({ url, label, fileName }: { url: string; label: string; fileName: string }) {
  const t = useT();
  const matrix = useMemo(() => qrMatrix(url), [url]);
  const path = useMemo(() => qrPath(matrix), [matrix]);
  const [error, setError] = useState<string | null>(null);
  const pngSide = Math.ceil(PNG_PIXELS / matrix.size) * matrix.size;

  async function downloadPng() {
    setError(null);
    const png = await qrPng(matrix, PNG_PIXELS).catch(() => null);
    if (png) downloadFile(`${fileName}.png`, png);
    else setError(t.t('dashboard.qr.pngFailed'));
  }

  return (
    <figure class="qr">
      <svg
        class="qr-code"
        role="img"
        aria-label={t.t('dashboard.qr.label', { label, url })}
        viewBox={`0 0 ${matrix.size} ${matrix.size}`}
        shape-rendering="crispEdges"
      >
        <rect width={matrix.size} height={matrix.size} fill="#fff" />
        <path fill="#000" d={path} />
      </svg>
      <figcaption>
        <span class="qr-url">{url}</span>
        <span class="hint block">{t.t('dashboard.qr.hint')}</span>
        <span class="actions">
          <button
            type="button"
            class="button small"
            onClick={() => downloadFile(`${fileName}.svg`, new Blob([qrSvgFile(matrix)], { type: 'image/svg+xml' }))}
          >
            {t.t('dashboard.qr.svg')}
          </button>
          <button type="button" class="button small" onClick={() => void downloadPng()}>
            {t.t('dashboard.qr.png', { side: t.number(pngSide) })}
          </button>
        </span>
        {error && (
          <span class="form-error block" role="alert">
            {error}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
