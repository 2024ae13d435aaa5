/**
 * Storefront addresses: `/@handle/<series slug>`. A slug is the title in lower-case ASCII letters and digits
 * joined by `-`; Latin letters lose their accents, Cyrillic and Greek are transliterated, and a title with
 * nothing left (Japanese, Arabic, emoji only…) has no slug: the series id stands in for it.
 */
export const MAX_SLUG_LENGTH = 60;

const LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
  ŀ: 'l',
  // Cyrillic (Russian, Ukrainian, Belarusian, Serbian), after common passport-style romanisation.
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  ђ: 'dj',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'c',
  у: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  џ: 'dz',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Greek (accents are gone after NFKD).
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/**
 * The slug a title gives, or null when nothing of it can be written in ASCII.
 * @example slugify('L’Été à Paris — Part 2') // "l-ete-a-paris-part-2"; slugify('東京物語') // null
 */
export function slugify(title: string, maxLength = MAX_SLUG_LENGTH): string | null {
  let ascii = '';
  for (const ch of title.normalize('NFKD').toLowerCase()) {
    if (/\p{M}/u.test(ch)) continue;
    ascii += LETTERS[ch] ?? ch;
  }
  const joined = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!joined) return null;
  if (joined.length <= maxLength) return joined;
  // Cut at a word boundary when one is near enough, never leaving a trailing '-'.
  const cut = joined.slice(0, maxLength + 1);
  const boundary = cut.lastIndexOf('-');
  return (boundary > maxLength / 2 ? cut.slice(0, boundary) : joined.slice(0, maxLength)).replace(/-+$/, '');
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A series id (`ser_…`), which stands in for a title that gives no slug. */
const SERIES_ID = /^ser_[0-9A-Za-z]{16,32}$/;

/** Whether a path segment can name a series: a slug of the right shape, or a series id. */
export function isSeriesSlug(value: string): boolean {
  return (value.length <= MAX_SLUG_LENGTH + 4 && SLUG.test(value)) || SERIES_ID.test(value);
}

/**
 * The slugs to try, in order, for a series: the title's, then numbered ones (`-2`, `-3`…) when another series
 * of the creator holds it, the series id last (always free).
 */
export function slugCandidates(title: string, seriesId: string, tries = 20): string[] {
  const base = slugify(title, MAX_SLUG_LENGTH - 3);
  if (!base) return [seriesId];
  return [slugify(title) ?? base, ...Array.from({ length: tries - 1 }, (_, i) => `${base}-${i + 2}`), seriesId];
}
