/**
 * What a storefront page hands its script (`<script type="application/json" id="sf-data">`): the viewer's
 * language and its `client.*` messages, and what the page shows. The server writes it (layout.tsx) and the
 * script reads it (client/data.ts): types only, so it costs the script nothing.
 */
export interface PageData {
  page:
    | 'creator'
    | 'series'
    | 'reviews'
    | 'episode'
    | 'library'
    | 'receipt'
    | 'home'
    | 'notFound'
    | 'recovery'
    | 'privacy'
    | 'gift'
    | 'account';
  handle?: string;
  seriesId?: string;
  /** The episode a page is about (episode page), or to play first. */
  episodeId?: string;
  /** The series' episodes in order, for the player's "next" and the owned marks. */
  episodes?: {
    id: string;
    number: number;
    title: string;
    free: boolean;
    released: boolean;
    releaseAt: string | null;
    href: string;
  }[];
  /** False on a page shown to a buyer after the series went off sale: nothing is offered for sale. */
  onSale?: boolean;
}

export interface ClientData extends PageData {
  locale: 'en' | 'fr';
  messages: Record<string, string>;
}
