const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random, unguessable id with a readable type prefix (about 131 bits of entropy).
 * @example newId('ser') // "ser_3kJ9..."
 */
export function newId(
  prefix: 'usr' | 'cr' | 'ser' | 'ep' | 'pur' | 'com' | 'aud' | 'upl' | 'img' | 'dsc' | 'pc' | 'rev' | 'rpt',
): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let out = '';
  // 256 % 62 bias is negligible for ids that only need to be unique and unguessable.
  for (const b of bytes) out += ALPHABET[b % 62];
  return `${prefix}_${out}`;
}
