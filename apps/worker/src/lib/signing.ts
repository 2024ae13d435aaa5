import { constantTimeEqual, fromBase64Url, toBase64Url } from './encoding.js';

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) throw new Error('SIGNING_SECRET must be at least 32 characters');
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

/**
 * HMAC-SHA256 of `message` under `purpose`, so a signature made for one use (a checkout link)
 * can never be replayed as another (a playback grant).
 */
export async function sign(secret: string, purpose: string, message: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${purpose}\n${message}`));
  return toBase64Url(new Uint8Array(mac));
}

export async function verify(secret: string, purpose: string, message: string, signature: string): Promise<boolean> {
  const given = fromBase64Url(signature);
  if (!given) return false;
  const expected = fromBase64Url(await sign(secret, purpose, message))!;
  return constantTimeEqual(given, expected);
}
