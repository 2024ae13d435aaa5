// Migrations are history (README, "The worker"): a committed migration never changes, and a database migrated
// from any version of the files ever committed ends with the schema a fresh one gets. Run in Node with its
// built-in SQLite, applying each file as D1 does: in one transaction, foreign keys enforced.
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript modules of the worker's scripts, without declarations
import { checksum, migrationFiles, MIGRATIONS_DIR, readChecksums } from '../../scripts/migration-checksums.mjs';
// @ts-expect-error: as above
import { d1Folder, replacedMigrationsApplied, resetAdvice } from '../../scripts/local-database.mjs';

const VERSIONS_DIR = new URL('./migration-versions/', import.meta.url).pathname;
const current = (name: string) => readFileSync(join(MIGRATIONS_DIR, name), 'utf8');
const version = (file: string) => readFileSync(join(VERSIONS_DIR, file), 'utf8');

/** A migration to apply: its name (as wrangler records it) and its text. */
type Step = { name: string; sql: string };

/** Applies the steps as `wrangler d1 migrations apply` does, recording each in d1_migrations. */
function migrate(db: DatabaseSync, steps: Step[]) {
  db.exec(`CREATE TABLE IF NOT EXISTS d1_migrations(
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`);
  for (const step of steps) {
    db.exec('BEGIN');
    try {
      db.exec(step.sql);
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').run(step.name);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`${step.name}: ${(err as Error).message}`);
    }
  }
}

/** Everything the schema is made of, as SQLite keeps it. */
function schema(db: DatabaseSync) {
  return db
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all();
}

const files = migrationFiles() as string[];
const stepsOf = (names: string[]): Step[] => names.map((name) => ({ name, sql: current(name) }));

describe('committed migrations never change', () => {
  const listed = readChecksums() as Record<string, string>;

  it('every migration is listed in migrations/checksums.json, and every listed one still exists', () => {
    const unlisted = files.filter((name) => !(name in listed));
    expect(unlisted, 'new migrations: run `node scripts/migration-checksums.mjs --add` in apps/worker').toEqual([]);
    expect(
      Object.keys(listed).filter((name) => !files.includes(name)),
      'a committed migration was deleted or renamed',
    ).toEqual([]);
  });

  it('each file is byte for byte what was committed (write a new migration instead)', () => {
    const changed = files.filter((name) => name in listed && checksum(current(name)) !== listed[name]);
    expect(changed).toEqual([]);
  });

  it('the checksum sees any edit, even in a comment, and not the checkout’s line endings', () => {
    const text = current('0001_init.sql');
    expect(checksum(text)).toBe(listed['0001_init.sql']);
    expect(checksum(text.replace(/\n/g, '\r\n'))).toBe(listed['0001_init.sql']);
    expect(checksum(text.replace('-- Accounts.', '-- Accounts!'))).not.toBe(listed['0001_init.sql']);
  });
});

describe('every database ends with the same schema', () => {
  const fresh = () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, stepsOf(files));
    return schema(db);
  };

  // The versions of 0009 and 0011_range_totals.sql that were committed after the first (kept in
  // test/node/migration-versions/, named after their commit): databases made in between applied them.
  const history = {
    '0009_buyer_first_days.sql': [null, '0009_buyer_first_days.801aa15.sql', '0009_buyer_first_days.14ddc0f.sql'],
    '0011_range_totals.sql': [null, '0011_range_totals.61da2c3.sql'],
  } as const;

  const combinations = history['0009_buyer_first_days.sql'].flatMap((v9) =>
    history['0011_range_totals.sql'].map((v11) => ({ v9, v11 })),
  );

  it.each(combinations)(
    '0009 as $v9, 0011 as $v11 (null: as first committed), then migrated to today',
    ({ v9, v11 }) => {
      const db = new DatabaseSync(':memory:');
      const through = files.indexOf('0014_extension_anchors.sql') + 1;
      const then: Step[] = files.slice(0, through).map((name) => ({
        name,
        sql:
          name === '0009_buyer_first_days.sql' && v9
            ? version(v9)
            : name === '0011_range_totals.sql' && v11
              ? version(v11)
              : current(name),
      }));
      migrate(db, then);
      // Some data on the old schema: the rebuilt creators table (0015) keeps it, and its references hold.
      db.exec(`INSERT INTO users VALUES ('usr_1', 'a@example.test', 'x', 1);
      INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at)
        VALUES ('cr_1', 'usr_1', 'night', 'Night', 'approved', 1, 1);
      INSERT INTO series (id, creator_id, title, currency, created_at, updated_at) VALUES ('ser_1', 'cr_1', 'T', 'USD', 1, 1);
      INSERT INTO sales_daily (creator_id, currency, day, series_id, episode_id, sales, gross, commission, payout)
        VALUES ('cr_1', 'USD', '2026-11-01', 'ser_1', '', 1, 199, 0, 199);`);
      migrate(db, stepsOf(files.slice(through)));
      expect(schema(db)).toEqual(fresh());
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(db.prepare('SELECT handle FROM creators c JOIN series s ON s.creator_id = c.id').get()).toEqual({
        handle: 'night',
      });
      // Today's trigger keeps the totals on an update of the day's row.
      db.exec(`UPDATE sales_daily SET sales = sales + 1, gross = gross + 299, payout = payout + 299`);
      expect(db.prepare('SELECT days, sales, gross, payout FROM sales_totals').get()).toEqual({
        days: 1,
        sales: 2,
        gross: 498,
        payout: 498,
      });
    },
  );
});

describe('npm start and a local database that applied a replaced migration', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A wrangler state folder whose one local database applied `steps`. */
  function localState(steps: Step[]) {
    const stateDir = mkdtempSync(join(tmpdir(), 'series-state-'));
    dirs.push(stateDir);
    mkdirSync(d1Folder(stateDir), { recursive: true });
    const db = new DatabaseSync(join(d1Folder(stateDir), 'abc123.sqlite'));
    migrate(db, steps);
    db.close();
    new DatabaseSync(join(d1Folder(stateDir), 'metadata.sqlite')).close();
    return stateDir;
  }

  it('finds 0011_all_time_totals.sql, which 0011_range_totals.sql cannot follow, and says how to reset', async () => {
    const upTo10 = stepsOf(files.slice(0, files.indexOf('0011_range_totals.sql')));
    const old: Step = { name: '0011_all_time_totals.sql', sql: version('0011_all_time_totals.3a96b6a.sql') };
    const stateDir = localState([...upTo10, old]);
    // Why it matters: today's 0011 fails on that database.
    const db = new DatabaseSync(join(d1Folder(stateDir), 'abc123.sqlite'));
    expect(() => migrate(db, stepsOf(['0011_range_totals.sql']))).toThrow(/sales_totals already exists/);
    db.close();

    const found = await replacedMigrationsApplied(stateDir);
    expect(found).toEqual([{ file: join(d1Folder(stateDir), 'abc123.sqlite'), applied: ['0011_all_time_totals.sql'] }]);
    const advice = resetAdvice(found, stateDir);
    expect(advice).toContain('0011_all_time_totals.sql, which 0011_range_totals.sql replaced');
    expect(advice).toContain(`rm -rf ${d1Folder(stateDir)} && npm start`);
  });

  it('says nothing of a database migrated from today’s files, or of a first start without one', async () => {
    expect(await replacedMigrationsApplied(localState(stepsOf(files)))).toEqual([]);
    expect(await replacedMigrationsApplied(join(tmpdir(), 'series-no-state-here'))).toEqual([]);
  });
});

describe('0033 rebuilds purchases with tax_amount and commission + payout + tax = amount', () => {
  const through32 = files.slice(0, files.indexOf('0033_purchase_tax.sql'));
  const table = (db: DatabaseSync, sql: string) => db.prepare(sql).all();
  /** How SQLite sees purchases: columns, indexes (partial ones' WHERE in their SQL), keys, references to it. */
  function shape(db: DatabaseSync) {
    const indexes = table(db, 'PRAGMA index_list(purchases)') as { name: string }[];
    return {
      columns: table(db, 'PRAGMA table_xinfo(purchases)'),
      indexes,
      indexColumns: indexes.map((index) => table(db, `PRAGMA index_xinfo("${index.name}")`)),
      foreignKeys: table(db, 'PRAGMA foreign_key_list(purchases)'),
      referencedBy: table(db, 'PRAGMA foreign_key_list(refund_requests)'),
      // Everything else in the schema: other tables, every index (with its SQL), triggers and views.
      rest: table(
        db,
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE NOT (type = 'table' AND name = 'purchases') ORDER BY type, name",
      ),
    };
  }
  const purchasesSql = (db: DatabaseSync) =>
    (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'purchases'").get() as { sql: string })
      .sql;
  /** The table's SQL without comments, spacing or quotes: what SQLite parses. */
  const normalized = (sql: string) =>
    sql
      .replace(/--[^\n]*/g, '')
      .replace(/"/g, '')
      .replace(/\s+/g, ' ')
      .replace(/\( /g, '(')
      .replace(/ \)/g, ')')
      .trim();

  const seed = `INSERT INTO users (id, email, password_hash, created_at) VALUES ('usr_b', 'b@example.test', 'x', 1), ('usr_c', 'c@example.test', 'x', 1);
    INSERT INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at)
      VALUES ('cr_1', 'usr_c', 'night', 'Night', 'approved', 1, 1);
    INSERT INTO series (id, creator_id, title, currency, created_at, updated_at) VALUES ('ser_1', 'cr_1', 'T', 'EUR', 1, 1);
    INSERT INTO episodes (id, series_id, position, title, duration_seconds, price, created_at, updated_at)
      VALUES ('ep_1', 'ser_1', 1, 'One', 60, 299, 1, 1);
    INSERT INTO purchases (id, buyer_id, creator_id, series_id, episode_id, item_key, amount, currency, commission_bps,
      commission_amount, payout_amount, status, provider, provider_ref, idempotency_key, completion_id, created_at,
      expires_at, paid_at, updated_at, checkout_url, payment_ref, refunded_amount, return_to, source,
      refund_keeps_access, list_amount, discount_amount, discount_id, promo_code_id)
    VALUES
      ('pur_1', 'usr_b', 'cr_1', 'ser_1', 'ep_1', 'episode:ep_1', 299, 'EUR', 1000, 30, 269, 'paid', 'test', 'ref_1',
       'k1', 'c1', 10, 20, 11, 11, 'https://pay.example/1', 'pay_1', 100, '/@night', 'bio', 0, 399, 100, 'dis_1', 'pc_1'),
      ('pur_2', 'usr_b', 'cr_1', 'ser_1', NULL, 'series:ser_1', 999, 'EUR', 0, 0, 999, 'refunded', 'test', NULL,
       'k2', NULL, 12, 22, 13, 14, NULL, 'pay_2', 999, NULL, NULL, 1, NULL, 0, NULL, NULL),
      ('pur_3', NULL, 'cr_1', 'ser_1', 'ep_1', 'episode:ep_1', 299, 'EUR', 0, 0, 299, 'expired', 'test', NULL,
       'k3', NULL, 15, 16, NULL, 16, NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL);
    DELETE FROM purchases WHERE id = 'pur_3';
    INSERT INTO purchases (id, buyer_id, creator_id, series_id, item_key, amount, currency, commission_bps,
      commission_amount, payout_amount, provider, idempotency_key, created_at, expires_at, updated_at)
      VALUES ('pur_4', 'usr_b', 'cr_1', 'ser_1', 'series:ser_1', 500, 'EUR', 0, 0, 500, 'test', 'k4', 17, 18, 17);
    INSERT INTO refund_requests (id, purchase_id, creator_id, reason, status, created_at)
      VALUES ('rr_1', 'pur_2', 'cr_1', 'no', 'granted', 13);`;

  /** A valid row with `over` changed; every column given, tax_amount only where the schema has it. */
  function insert(db: DatabaseSync, over: Record<string, unknown>, withTax: boolean) {
    const row: Record<string, unknown> = {
      id: `pur_${Math.random()}`,
      buyer_id: 'usr_b',
      creator_id: 'cr_1',
      series_id: 'ser_1',
      episode_id: 'ep_1',
      item_key: 'episode:ep_1',
      amount: 299,
      currency: 'EUR',
      commission_bps: 0,
      commission_amount: 0,
      payout_amount: 299,
      status: 'pending',
      provider: 'test',
      idempotency_key: `k_${Math.random()}`,
      created_at: 1,
      expires_at: 2,
      updated_at: 1,
      refund_keeps_access: 0,
      list_amount: null,
      discount_amount: 0,
      ...(withTax ? { tax_amount: 0 } : {}),
      ...over,
    };
    const names = Object.keys(row);
    db.prepare(`INSERT INTO purchases (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(
      ...(Object.values(row) as (string | number | null)[]),
    );
  }
  // Rows 0001-0032's constraints refuse; the rebuilt table refuses each of them too.
  const refused: [string, Record<string, unknown>][] = [
    ['amount 0', { amount: 0, payout_amount: 0 }],
    ['commission rate over 100%', { commission_bps: 10001 }],
    ['negative commission', { commission_amount: -1, payout_amount: 300 }],
    ['negative payout', { commission_amount: 300, payout_amount: -1 }],
    ['unknown status', { status: 'lost' }],
    ['no creator', { creator_id: null }],
    ['no currency', { currency: null }],
    ['a creator that does not exist', { creator_id: 'cr_nobody' }],
    ['a buyer that does not exist', { buyer_id: 'usr_nobody' }],
    ['an episode that does not exist', { episode_id: 'ep_nobody' }],
    ['the split not adding up', { commission_amount: 1 }],
    ['refund_keeps_access 2', { refund_keeps_access: 2 }],
    ['a list price under the amount', { list_amount: 298 }],
    ['a negative discount', { discount_amount: -1 }],
    ['a second row with a buyer’s idempotency key', { idempotency_key: 'k1' }],
    ['a second paid purchase of one item', { status: 'paid' }],
    ['a second row with an id', { id: 'pur_1' }],
  ];

  it('keeps every column, constraint, index, reference and row; adds tax_amount; changes only the split CHECK', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, stepsOf(through32));
    db.exec(seed);
    const before = shape(db);
    const sqlBefore = purchasesSql(db);
    const rowsBefore = table(db, 'SELECT rowid, * FROM purchases ORDER BY rowid');
    for (const [what, over] of refused) expect(() => insert(db, over, false), what).toThrow();

    migrate(db, stepsOf(['0033_purchase_tax.sql']));
    const after = shape(db);
    const taxColumn = {
      cid: before.columns.length,
      name: 'tax_amount',
      type: 'INTEGER',
      notnull: 1,
      dflt_value: '0',
      pk: 0,
      hidden: 0,
    };
    expect(after.columns).toEqual([...before.columns, taxColumn]);
    expect(after.indexes).toEqual(before.indexes);
    expect(after.indexColumns).toEqual(before.indexColumns);
    expect(after.indexes.filter((index) => (index as unknown as { partial: number }).partial)).toHaveLength(4);
    expect(after.foreignKeys).toEqual(before.foreignKeys);
    expect(after.referencedBy).toEqual(before.referencedBy);
    expect(after.rest).toEqual(before.rest);
    // The table's SQL is the old one with the tax column added and the one CHECK changed, nothing else.
    const expected = normalized(sqlBefore)
      .replace(
        'promo_code_id TEXT,',
        'promo_code_id TEXT, tax_amount INTEGER NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),',
      )
      .replace(
        'CHECK (commission_amount + payout_amount = amount)',
        'CHECK (commission_amount + payout_amount + tax_amount = amount)',
      );
    expect(expected).toContain('commission_amount + payout_amount + tax_amount = amount');
    expect(normalized(purchasesSql(db))).toBe(expected);

    // Every row, with its rowid, as it was; tax 0 on all of them; the refund request's reference holds.
    expect(table(db, 'SELECT rowid, * FROM purchases ORDER BY rowid')).toEqual(
      rowsBefore.map((row) => ({ ...row, tax_amount: 0 })),
    );
    expect(table(db, 'PRAGMA foreign_key_check')).toEqual([]);
    expect(table(db, "SELECT name FROM sqlite_master WHERE name = 'purchases_copy'")).toEqual([]);

    // The old constraints still refuse what they refused.
    for (const [what, over] of refused) expect(() => insert(db, over, true), what).toThrow();
    // The new split: tax counts in it, and a row that leaves it out (or a negative tax) is refused.
    expect(() => insert(db, { tax_amount: 50 }, true), 'tax not taken from the split').toThrow(/CHECK constraint/);
    expect(() => insert(db, { tax_amount: -1, payout_amount: 300 }, true), 'negative tax').toThrow(/CHECK constraint/);
    expect(() => insert(db, { tax_amount: null }, true), 'no tax').toThrow(/NOT NULL/);
    insert(
      db,
      { id: 'pur_taxed', tax_amount: 50, commission_amount: 25, commission_bps: 1000, payout_amount: 224 },
      true,
    );
    expect(
      db
        .prepare("SELECT amount, commission_amount, payout_amount, tax_amount FROM purchases WHERE id = 'pur_taxed'")
        .get(),
    ).toEqual({
      amount: 299,
      commission_amount: 25,
      payout_amount: 224,
      tax_amount: 50,
    });
    // A purchase a refund request names cannot go, and a request cannot name a purchase that does not exist.
    expect(() => db.exec("DELETE FROM purchases WHERE id = 'pur_2'")).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.exec(
        "INSERT INTO refund_requests (id, purchase_id, creator_id, reason, created_at) VALUES ('rr_2', 'pur_x', 'cr_1', 'no', 1)",
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});
