// Committed migrations never change (README, "The worker"): migrations/checksums.json holds the SHA-256 of each,
// and test/node/migrations.test.ts fails when a file differs from its checksum, is missing, or is not listed.
//
//   node scripts/migration-checksums.mjs --add    lists new migrations (never touches the ones listed)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
export const CHECKSUMS_FILE = `${MIGRATIONS_DIR}checksums.json`;

/** The migration files, in the order they apply. */
export const migrationFiles = () =>
  readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{4}_.+\.sql$/.test(name))
    .sort();

/** SHA-256 of a migration's text, with line endings as in the repository (a CRLF checkout hashes the same). */
export const checksum = (text) => createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');

export const readChecksums = () => JSON.parse(readFileSync(CHECKSUMS_FILE, 'utf8'));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--add')) {
    console.error('usage: node scripts/migration-checksums.mjs --add');
    process.exit(2);
  }
  const listed = readChecksums();
  const added = migrationFiles().filter((name) => !(name in listed));
  for (const name of added) listed[name] = checksum(readFileSync(`${MIGRATIONS_DIR}${name}`, 'utf8'));
  writeFileSync(CHECKSUMS_FILE, `${JSON.stringify(listed, null, 2)}\n`);
  console.log(added.length ? `listed ${added.join(', ')}` : 'every migration is listed already');
}
