import { creatorSells } from '../lib/rules.js';
import type { EpisodeRow } from '../episodes/queries.js';
import type { SeriesRow } from '../series/queries.js';

export interface AccessRow extends EpisodeRow {
  series_status: SeriesRow['status'];
  currency: SeriesRow['currency'];
  bundle_price: number | null;
  /** `creatorSells` (lib/rules.ts): 1 when the creator may sell now. */
  creator_sells: number;
  creator_user_id: string;
  /** Whose ledger says whether a viewer owns it (`ledgerFor`). */
  creator_id: string;
}

/** An episode with what deciding access to it takes: its series' status and prices, its creator's status and user. */
export const episodeForAccessSql = (episode: string) =>
  `SELECT e.*, s.status AS series_status, s.currency, s.bundle_price, ${creatorSells('c')} AS creator_sells,
          c.user_id AS creator_user_id, s.creator_id
   FROM episodes e JOIN series s ON s.id = e.series_id JOIN creators c ON c.id = s.creator_id WHERE e.id = ${episode}`;
