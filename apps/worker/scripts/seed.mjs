// Idempotent demo data for the local D1: run as often as you like (INSERT OR IGNORE on fixed ids and emails).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/auth/password.ts';
import { ACCOUNTS } from './tiktok-stand-in.mjs';

export const DEMO_PASSWORD = 'series-demo-pass';
export const DEMO = {
  admin: 'admin@series.test',
  creator: 'creator@series.test',
  viewer: 'viewer@series.test',
  handle: 'seriesdemo',
  seriesId: 'ser_demoLighthouseKeeper',
  seriesSlug: 'the-lighthouse-keeper',
};

/** The public lookup hash (see migration 0004 and `lookupHash` in @series/core): SHA-256 hex of the key. */
const lookupHash = (key) => createHash('sha256').update(key, 'utf8').digest('hex');

const q = (v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

export async function seedSql(now = Date.now()) {
  const users = [
    ['usr_demoAdmin000000000001', DEMO.admin],
    ['usr_demoCreator0000000001', DEMO.creator],
    ['usr_demoViewer00000000001', DEMO.viewer],
  ];
  const lines = [];
  for (const [id, email] of users) {
    lines.push(
      `INSERT OR IGNORE INTO users (id, email, password_hash, created_at) VALUES (${q(id)}, ${q(email)}, ${q(await hashPassword(DEMO_PASSWORD))}, ${now});`,
      // The demo addresses count as verified: no banner asks the demo accounts to confirm them.
      `UPDATE users SET email_verified_at = ${now} WHERE id = ${q(id)} AND email_verified_at IS NULL;`,
    );
  }
  lines.push(
    `INSERT OR IGNORE INTO creators (id, user_id, handle, display_name, status, created_at, status_changed_at, handle_hash)
     SELECT 'cr_demoCreator00000000001', id, ${q(DEMO.handle)}, 'Series Demo', 'approved', ${now}, ${now}, ${q(lookupHash(DEMO.handle))}
     FROM users WHERE email = ${q(DEMO.creator)};`,
    // A database seeded before migration 0004 has the demo creator without its hash.
    `UPDATE creators SET handle_hash = ${q(lookupHash(DEMO.handle))} WHERE handle = ${q(DEMO.handle)} AND handle_hash IS NULL;`,
    `INSERT OR IGNORE INTO series (id, creator_id, title, description, cover_url, currency, bundle_price, status, created_at, updated_at, published_at, slug)
     SELECT ${q(DEMO.seriesId)}, id, 'The Lighthouse Keeper',
       'A five-part mystery on a storm-bound island. Episode 1 is free.', NULL, 'USD', 499, 'published', ${now}, ${now}, ${now}, ${q(DEMO.seriesSlug)}
     FROM creators WHERE handle = ${q(DEMO.handle)};`,
    // The storefront address (migration 0013 gives a slug to series that existed before it).
    `INSERT OR IGNORE INTO series_slugs (creator_id, slug, series_id, created_at)
     SELECT creator_id, slug, id, created_at FROM series WHERE id = ${q(DEMO.seriesId)};`,
  );
  const episodes = [
    ['The Light Goes Out', 95, null],
    ['Footprints in the Salt', 540, 199],
    ['The Keeper\u2019s Log', 610, 199],
    ['Low Tide', 720, 299],
    ['Dawn', 1180, 299],
  ];
  // The demo creator is verified: their TikTok account is the stand-in's @seriesdemo (scripts/tiktok-stand-in.mjs),
  // and the demo episodes' videos are theirs. No refresh token is kept: connecting again from the dashboard gets one
  // (to link more of their videos).
  const demoTikTok = ACCOUNTS[0];
  lines.push(
    `INSERT OR IGNORE INTO tiktok_accounts (open_id, user_id, username, display_name, avatar_url, follower_count, video_count, is_verified, scope, connected_at, checked_at)
     SELECT ${q(demoTikTok.open_id)}, id, ${q(demoTikTok.username)}, ${q(demoTikTok.display_name)}, NULL, ${demoTikTok.follower_count}, ${demoTikTok.videos.length}, 0,
       'user.info.basic,user.info.profile,user.info.stats,video.list', ${now}, ${now}
     FROM users WHERE email = ${q(DEMO.creator)};`,
    `UPDATE creators SET verified_by = 'tiktok', verified_at = ${now} WHERE handle = ${q(DEMO.handle)} AND verified_by IS NULL;`,
  );
  episodes.forEach(([title, seconds, price], i) => {
    const n = i + 1;
    const videoId = `73000000000000000${String(n).padStart(2, '0')}`;
    lines.push(
      `INSERT OR IGNORE INTO episodes (id, series_id, position, title, duration_seconds, price, video_id, release_at, created_at, updated_at, video_hash)
       SELECT 'ep_demoLighthouse0000${n}', id, ${n}, ${q(title)}, ${seconds}, ${q(price)}, ${q(videoId)}, NULL, ${now}, ${now}, ${q(lookupHash(videoId))}
       FROM series WHERE id = ${q(DEMO.seriesId)};`,
      `UPDATE episodes SET video_hash = ${q(lookupHash(videoId))} WHERE id = 'ep_demoLighthouse0000${n}' AND video_id = ${q(videoId)} AND video_hash IS NULL;`,
      `UPDATE episodes SET video_verified = 1 WHERE id = 'ep_demoLighthouse0000${n}' AND video_id = ${q(videoId)}
         AND NOT EXISTS (SELECT 1 FROM episodes v WHERE v.video_id = ${q(videoId)} AND v.video_verified = 1);`,
    );
  });
  // The first two episodes get a real (3-second) video so the demo can be watched end to end.
  for (const episode of DEMO_VIDEOS) {
    const size = statSync(DEMO_VIDEO_FILE).size;
    lines.push(
      `INSERT OR IGNORE INTO media_uploads (id, episode_id, r2_key, size, part_size, status, created_at, updated_at)
       SELECT 'upl_${episode.slice(3)}', id, ${q(demoKey(episode))}, ${size}, ${size}, 'completed', ${now}, ${now}
       FROM episodes WHERE id = ${q(episode)} AND media_key IS NULL;`,
      `UPDATE episodes SET media_key = ${q(demoKey(episode))}, media_content_type = 'video/webm', media_size = ${size},
         media_uploaded_at = ${now}, duration_seconds = 3 WHERE id = ${q(episode)} AND media_key IS NULL;`,
    );
  }
  return lines.join('\n');
}

const DEMO_VIDEOS = ['ep_demoLighthouse00001', 'ep_demoLighthouse00002'];
const DEMO_VIDEO_FILE = new URL('../test/fixtures/clip-3s.webm', import.meta.url).pathname;
const demoKey = (episodeId) => `episodes/${episodeId}/demo`;

export async function seedLocal({ persistTo } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'series-seed-'));
  const file = join(dir, 'seed.sql');
  writeFileSync(file, await seedSql());
  const persist = persistTo ? [`--persist-to=${persistTo}`] : [];
  const run = (args) =>
    execFileSync('wrangler', [...args, ...persist], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
  for (const episode of DEMO_VIDEOS) {
    run([
      'r2',
      'object',
      'put',
      `series-media/${demoKey(episode)}`,
      '--local',
      `--file=${DEMO_VIDEO_FILE}`,
      '--content-type=video/webm',
    ]);
  }
  run(['d1', 'execute', 'DB', '--local', `--file=${file}`]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await seedLocal();
  console.log(`Seeded demo data (password for every demo account: ${DEMO_PASSWORD}).`);
}
