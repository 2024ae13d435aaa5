// Types for the worker's JavaScript test helper (apps/worker/scripts/test-server.mjs).
declare module '@series/worker/test-server' {
  export function startWorker(options?: { port?: number; vars?: Record<string, string> }): Promise<{
    url: string;
    port: number;
    stop(): Promise<void>;
  }>;
}
