/** What a container parser establishes: the length of the media itself, and what the header claims. */
export interface Timeline {
  container: 'mp4' | 'webm';
  /** Seconds the media's own timeline covers (samples, fragments, clusters). */
  mediaSeconds: number;
  /** Seconds the header states (`mvhd`/`mehd`, Segment Info `Duration`); null when it states none. */
  headerSeconds: number | null;
}
