// Core compiles without Node's types; its one test that runs SQL (payout.test.ts, checking the ledger's SQL
// form of a rule against the TypeScript one) uses Node's built-in SQLite, described here as far as it is used.
declare module 'node:sqlite' {
  export class DatabaseSync {
    constructor(path: string);
    prepare(sql: string): { get(params: Record<string, unknown>): unknown };
    close(): void;
  }
}
