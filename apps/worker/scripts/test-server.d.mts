/** A real worker under `wrangler dev` on a fresh local D1 + R2 with migrations applied and demo data seeded. */
export interface TestWorker {
  url: string;
  port: number;
  /** The worker's own TikTok stand-in (scripts/tiktok-stand-in.mjs). */
  tiktokUrl: string;
  stop(): Promise<void>;
}
export function startWorker(options?: { port?: number; vars?: Record<string, string> }): Promise<TestWorker>;
