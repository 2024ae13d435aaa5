import { createHash, randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { DatabaseSync } from 'node:sqlite';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

export async function timed(fn) {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 1024 ** 3) };
}

export const fmt = (n, digits = 1) =>
  n === undefined || n === null || Number.isNaN(n) ? '–' : Number(n).toFixed(digits);

/** A session token as the worker issues them, and the hash it stores. */
export function sessionToken() {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

export function openD1(file) {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;');
  return db;
}

/** Inserts a signed-in session for a user straight into the database; returns its bearer token. */
export function seedSession(db, userId) {
  const { token, hash } = sessionToken();
  const now = Date.now();
  db.prepare(
    'INSERT INTO sessions (token_hash, id, user_id, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(hash, randomBytes(12).toString('hex'), userId, 'bench', now, now + 86_400_000);
  return token;
}
