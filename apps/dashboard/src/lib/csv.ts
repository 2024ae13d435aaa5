/**
 * CSV per RFC 4180 (quoted when needed, CRLF line ends). Cells a spreadsheet would run as a formula
 * (starting with = + - @ or a tab) get a leading apostrophe: titles are creator-typed text.
 */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (value: string | number) => {
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves CSV text as a file. */
export function downloadCsv(filename: string, csv: string) {
  // The BOM makes spreadsheet apps read the file as UTF-8 (titles may contain any script).
  downloadFile(filename, new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
}

/** Saves a file made in the page through a temporary link (no server round trip). */
export function downloadFile(filename: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
