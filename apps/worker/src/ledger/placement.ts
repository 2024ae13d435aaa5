/**
 * Where each creator's ledger lives: the one module that knows (docs/scaling.md, "The path"). A creator's
 * purchases, refunds, disputes and rollups are in one D1 database, their shard; the directory (accounts, sessions,
 * the catalogue's index, the platform commission, Stripe event ids) is `env.DB`. Every money-path statement gets its
 * database from `ledgerFor` (test/node/structure.test.ts fails when a money-path file names `env.DB` itself).
 *
 * A deploy lists its ledger databases in the `LEDGER_SHARDS` var (wrangler.jsonc): `hashed`, the D1 bindings
 * creators are spread over by rendezvous hashing of their id (adding a database moves only the creators that hash to
 * it, about 1/N of them, whose ledgers must be copied there first or pinned where they are), and `pinned`, creators
 * placed by name (a best seller on a database of its own). Today there is one: `{ "hashed": ["DB"] }`, every ledger
 * in the directory's own database.
 */

export interface ShardMap {
  /** The D1 bindings creators are hashed over; at least one. */
  hashed: string[];
  /** Creators placed by name, on any D1 binding (listed in `hashed` or not). */
  pinned?: Record<string, string>;
}

/** The directory's binding, and the one ledger of a deploy that lists none. */
export const DIRECTORY = 'DB';
const ONE_LEDGER: ShardMap = { hashed: [DIRECTORY] };

/** The deploy's shard map (`LEDGER_SHARDS`, an object or its JSON); a malformed one is a configuration error. */
export function shardMapOf(env: Env): ShardMap {
  const raw = (env as { LEDGER_SHARDS?: unknown }).LEDGER_SHARDS;
  if (raw === undefined || raw === null || raw === '') return ONE_LEDGER;
  const map = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Partial<ShardMap>;
  const names = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'string' && n);
  const pinned = map.pinned ?? {};
  if (!names(map.hashed) || typeof pinned !== 'object' || !Object.values(pinned).every((n) => typeof n === 'string')) {
    throw new Error(
      'LEDGER_SHARDS must be { "hashed": ["<D1 binding>", …], "pinned"?: { "<creator id>": "<D1 binding>" } }',
    );
  }
  return { hashed: map.hashed!, pinned };
}

/**
 * FNV-1a, 32 bits, with MurmurHash3's finalizer so that ids differing in a character score independently: a stable
 * hash (the same in every isolate and every release) for rendezvous placement.
 */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The binding that holds a creator's ledger: their pin, else the hashed database that scores highest for them
 * (rendezvous hashing: adding a database moves a creator only onto the new one, never between old ones).
 * @example placeCreator({ hashed: ['DB'] }, 'cr_x') // 'DB'
 */
export function placeCreator(map: ShardMap, creatorId: string): string {
  const pin = map.pinned?.[creatorId];
  if (pin) return pin;
  let best = map.hashed[0]!;
  let bestScore = -1;
  for (const shard of map.hashed) {
    const score = fnv1a(`${shard}\n${creatorId}`);
    if (score > bestScore) [best, bestScore] = [shard, score];
  }
  return best;
}

function binding(env: Env, name: string): D1Database {
  const db = (env as unknown as Record<string, unknown>)[name] as D1Database | undefined;
  if (!db || typeof db.prepare !== 'function')
    throw new Error(`LEDGER_SHARDS names ${name}, which is not a D1 binding`);
  return db;
}

/**
 * The database of a creator's ledger. The directory's binding is the request's D1 session (lib/d1-session.ts);
 * another shard is its binding as it is, which reads and writes the primary (money paths never read a replica).
 */
export function ledgerFor(env: Env, creatorId: string): D1Database {
  return binding(env, placeCreator(shardMapOf(env), creatorId));
}

/** Every ledger database of the deploy, once each: for what spans creators (an admin's payouts due, the cron). */
export function allLedgers(env: Env): D1Database[] {
  const map = shardMapOf(env);
  return [...new Set([...map.hashed, ...Object.values(map.pinned ?? {})])].map((name) => binding(env, name));
}

/**
 * The directory's database when it holds every creator's ledger (one shard, `DB`): a ledger statement may then ride
 * in the directory's batch (the session's), one round trip. Null once ledgers live elsewhere: the caller reads the
 * directory first (whose creator?), then the creator's ledger.
 */
export function ledgerInDirectory(env: Env): D1Database | null {
  const map = shardMapOf(env);
  const names = new Set([...map.hashed, ...Object.values(map.pinned ?? {})]);
  return names.size === 1 && names.has(DIRECTORY) ? env.DB : null;
}

/**
 * The directory's database: accounts and sessions, the catalogue's index, the platform's settings (the commission)
 * and logs (audit, Stripe event ids). Named so, in money-path code, every statement says which database it means.
 */
export const directory = (env: Env): D1Database => env.DB;

/** The first answer any ledger gives (all asked at once: one round trip), for a row whose creator is not known. */
export async function firstInLedgers<T>(env: Env, read: (db: D1Database) => Promise<T | null>): Promise<T | null> {
  const found = await Promise.all(allLedgers(env).map(read));
  return found.find((row) => row !== null && row !== undefined) ?? null;
}

/**
 * The ledger that holds a row whose creator is not known (a gift's link names no creator): the directory's database
 * while it holds every ledger (no read), else the first ledger `holds` says yes for (all asked at once).
 */
export async function ledgerHolding(env: Env, holds: (db: D1Database) => Promise<boolean>): Promise<D1Database | null> {
  const only = ledgerInDirectory(env);
  if (only) return only;
  return firstInLedgers(env, async (db) => ((await holds(db)) ? db : null));
}

/** Every ledger's rows, all asked at once (one round trip), concatenated: a buyer's purchases across creators. */
export async function fromEveryLedger<T>(env: Env, read: (db: D1Database) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all(allLedgers(env).map(read))).flat();
}

/**
 * Where a payment that does not name its creator was recorded: in the directory's database, the one ledger there
 * was before the creator id travelled in the payment provider's metadata (and in the test checkout's link).
 */
export function legacyLedger(env: Env): D1Database {
  return env.DB;
}
