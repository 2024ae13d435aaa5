export type RangeRequest = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * Parses a single-range `Range: bytes=…` header against a file of `size` bytes: `a-b`, `a-` or the
 * suffix form `-n`. Returns null when there is no header (serve everything), and 'unsatisfiable' (416)
 * for a malformed header, several ranges, or one that starts past the end.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'unsatisfiable';
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
