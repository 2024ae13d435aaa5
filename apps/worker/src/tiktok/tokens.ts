// Refresh tokens at rest: AES-256-GCM with a key derived (HKDF-SHA-256) from TOKEN_ENCRYPTION_KEY, a fresh
// 96-bit IV per token, and the TikTok open_id as additional data, so a token copied to another row fails to open.
import { fromBase64Url, toBase64Url } from '../lib/encoding.js';

const VERSION = 'v1';
const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function aesKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']).then((material) =>
      crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: encoder.encode('series/tiktok-refresh-token'),
          info: new Uint8Array(),
        },
        material,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      ),
    );
    keys.set(secret, key);
  }
  return key;
}

/** `v1.<iv>.<ciphertext+tag>`, base64url. */
export async function encryptToken(secret: string, token: string, openId: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(openId) },
    await aesKey(secret),
    encoder.encode(token),
  );
  return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** The token, or null when the text was not sealed by this key for this open_id (tampered, or another key). */
export async function decryptToken(secret: string, sealed: string, openId: string): Promise<string | null> {
  const [version, ivText, dataText] = sealed.split('.');
  const iv = fromBase64Url(ivText ?? '');
  const data = fromBase64Url(dataText ?? '');
  if (version !== VERSION || !iv || iv.length !== 12 || !data) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: iv as BufferSource, additionalData: encoder.encode(openId) },
      await aesKey(secret),
      data as BufferSource,
    );
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
