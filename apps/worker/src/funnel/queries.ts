import { onSale } from '../lib/rules.js';

/** An unlock button shown, to count: the report it came in, its day, the episode and its mark (marks.ts). */
export interface EpisodeView {
  message: string;
  day: string;
  episodeId: string;
  mark: string;
}

/** A storefront page load, to count: the report, its day, the page (creator, series or none) and the source. */
export interface PageView {
  message: string;
  day: string;
  handle: string;
  seriesId: string | null;
  source: string;
  mark: string;
}

/** The reports of one consumer run: each report's id and day, and the views they carry. */
export interface ViewReports {
  messages: { id: string; day: string }[];
  episodes: EpisodeView[];
  pages: PageView[];
}

/** What one run applied: reports not seen before, views counted (marks added), and D1's rows read and written. */
export interface AppliedViews {
  reports: number;
  counted: number;
  rowsRead: number;
  rowsWritten: number;
}

/**
 * Counts a batch of view reports in one D1 batch (one transaction, five statements however many reports), each
 * report once and each view once per mark (client address, day and item):
 * 1. the reports' ids go into `view_messages`, stamped with this run's token; an id already there (a report
 *    delivered again) is left alone, so the rest of the run ignores that report;
 * 2. the new reports' marks of on-sale episodes and pages go into `view_marks` (a mark already there was counted);
 * 3. each counter moves once, by the number of marks this run added to it (`views + excluded.views`).
 * A page's mark ignores the link source (a page counts once per address and day whatever the source): when one
 * run holds the same mark from several reports, the first report's source counts.
 */
export async function applyViews(db: D1Database, reports: ViewReports): Promise<AppliedViews> {
  const token = crypto.randomUUID();
  const messages = JSON.stringify(reports.messages.map((m) => [m.id, m.day]));
  const episodes = JSON.stringify(reports.episodes.map((v) => [v.message, v.day, v.episodeId, v.mark]));
  const pages = JSON.stringify(reports.pages.map((v) => [v.message, v.day, v.handle, v.seriesId, v.source, v.mark]));
  // Each mark once, from the first new report that carries it (json_each's key is the position in the array).
  const pageRows = `(SELECT handle, series_id, source, mark FROM (
      SELECT json_extract(p.value, '$[2]') AS handle, json_extract(p.value, '$[3]') AS series_id,
             json_extract(p.value, '$[4]') AS source, json_extract(p.value, '$[5]') AS mark,
             ROW_NUMBER() OVER (PARTITION BY json_extract(p.value, '$[5]') ORDER BY p.key) AS nth
      FROM json_each(?1) p JOIN view_messages q ON q.id = json_extract(p.value, '$[0]') AND q.batch = ?2)
    WHERE nth = 1)`;
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO view_messages (id, day, batch)
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), ?2 FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(messages, token),
    db
      .prepare(
        `INSERT INTO view_marks (mark, day, batch)
         SELECT json_extract(v.value, '$[3]'), json_extract(v.value, '$[1]'), ?2
         FROM json_each(?1) v
           JOIN view_messages q ON q.id = json_extract(v.value, '$[0]') AND q.batch = ?2
           JOIN episodes e ON e.id = json_extract(v.value, '$[2]') JOIN series s ON s.id = e.series_id
           JOIN creators c ON c.id = s.creator_id
         WHERE ${onSale()}
         ON CONFLICT (mark) DO NOTHING`,
      )
      .bind(episodes, token),
    // Only the marks this run added: a mark names one day and one episode, so joining on it counts each once.
    db
      .prepare(
        `INSERT INTO funnel_daily (creator_id, day, series_id, episode_id, views)
         SELECT s.creator_id, m.day, s.id, e.id, COUNT(*)
         FROM (SELECT DISTINCT json_extract(value, '$[2]') AS episode_id, json_extract(value, '$[3]') AS mark
               FROM json_each(?1)) v
           JOIN view_marks m ON m.mark = v.mark AND m.batch = ?2
           JOIN episodes e ON e.id = v.episode_id JOIN series s ON s.id = e.series_id
         WHERE true
         GROUP BY s.creator_id, m.day, s.id, e.id
         ON CONFLICT (creator_id, day, series_id, episode_id) DO UPDATE SET views = views + excluded.views`,
      )
      .bind(episodes, token),
    db
      .prepare(
        `INSERT INTO view_marks (mark, day, batch)
         SELECT json_extract(v.value, '$[5]'), json_extract(v.value, '$[1]'), ?2
         FROM json_each(?1) v
           JOIN view_messages q ON q.id = json_extract(v.value, '$[0]') AND q.batch = ?2
           JOIN creators c ON c.handle = json_extract(v.value, '$[2]')
           LEFT JOIN series s ON s.id = json_extract(v.value, '$[3]') AND s.creator_id = c.id
         WHERE c.status = 'approved'
           AND (json_extract(v.value, '$[3]') IS NULL OR (s.id IS NOT NULL AND ${onSale()}))
         ON CONFLICT (mark) DO NOTHING`,
      )
      .bind(pages, token),
    db
      .prepare(
        `INSERT INTO source_daily (creator_id, day, series_id, source, views)
         SELECT c.id, m.day, COALESCE(s.id, ''), v.source, COUNT(*)
         FROM ${pageRows} v
           JOIN view_marks m ON m.mark = v.mark AND m.batch = ?2
           JOIN creators c ON c.handle = v.handle
           LEFT JOIN series s ON s.id = v.series_id AND s.creator_id = c.id
         WHERE true
         GROUP BY c.id, m.day, COALESCE(s.id, ''), v.source
         ON CONFLICT (creator_id, day, series_id, source) DO UPDATE SET views = views + excluded.views`,
      )
      .bind(pages, token),
  ]);
  const sum = (key: 'rows_read' | 'rows_written') => results.reduce((n, r) => n + (r.meta[key] ?? 0), 0);
  return {
    reports: results[0]!.meta.changes,
    counted: results[1]!.meta.changes + results[3]!.meta.changes,
    rowsRead: sum('rows_read'),
    rowsWritten: sum('rows_written'),
  };
}

/** Forgets the marks of days before `today` (they can no longer match: a mark names its day). How many went. */
export async function pruneViewMarks(db: D1Database, today: string) {
  const result = await db.prepare('DELETE FROM view_marks WHERE day < ?').bind(today).run();
  return result.meta.changes;
}

/** Forgets the ids of reports from days before `day` (the queue can no longer deliver them). How many went. */
export async function pruneViewMessages(db: D1Database, day: string) {
  const result = await db.prepare('DELETE FROM view_messages WHERE day < ?').bind(day).run();
  return result.meta.changes;
}
