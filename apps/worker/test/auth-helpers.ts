// Shared by the auth test files.
import { exports } from 'cloudflare:workers';
import { call, expectError, PASSWORD } from './helpers';

export const COOKIE = '__Host-series_session';
export const DASHBOARD = 'http://localhost:5173';
export const EVIL = 'https://evil.example';

export const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;

/** The session cookie set by a response, parsed into its value and attributes. */
export function sessionCookie(headers: Headers) {
  const raw = headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  if (!raw) return null;
  const [pair, ...attrs] = raw.split(';').map((p) => p.trim());
  const value = decodeURIComponent(pair!.slice(COOKIE.length + 1));
  const attributes = new Map(
    attrs.map((a) => {
      const i = a.indexOf('=');
      return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
    }),
  );
  return { raw, value, attributes };
}

export const cookieHeader = (token: string) => ({ Cookie: `${COOKIE}=${token}` });

export async function login(email: string, password = PASSWORD) {
  return call('POST', '/v1/auth/login', { body: { email, password } });
}

export async function me(token: string | null, headers: Record<string, string> = {}) {
  return call('GET', '/v1/me', { token, headers });
}

/** Proves that no account exists for `email`: signing in with it fails as for an unknown email. */
export async function expectNoAccount(email: string) {
  expectError(await login(email), 401, 'invalid_credentials');
}

export async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
