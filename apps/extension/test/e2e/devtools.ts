// Plain TypeScript (types only, erasable): the benchmark imports this from Node as it is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The browser's own DevTools endpoint (`--remote-debugging-port=0`), for what Playwright cannot reach: the
 * extension's service worker. Used for its heap after a garbage collection.
 */
export async function devtools(profile: string) {
  const port = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0];
  const { webSocketDebuggerUrl } = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as {
    webSocketDebuggerUrl: string;
  };
  const ws = new WebSocket(webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', reject);
  });
  let next = 0;
  const pending = new Map<number, (message: { result?: Record<string, unknown>; error?: unknown }) => void>();
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    if (message.id) pending.get(message.id)?.(message);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, (m) =>
        m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result as T),
      );
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  return {
    /** The used JS heap of the extension's service worker, after a collection, in bytes. */
    async serviceWorkerHeap(): Promise<number> {
      const { targetInfos } = await send<{ targetInfos: { targetId: string; type: string; url: string }[] }>(
        'Target.getTargets',
      );
      const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
      if (!target) throw new Error('no extension service worker');
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
        targetId: target.targetId,
        flatten: true,
      });
      await send('HeapProfiler.collectGarbage', {}, sessionId);
      const { usedSize } = await send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId);
      await send('Target.detachFromTarget', { sessionId });
      return usedSize;
    },
    close: () => ws.close(),
  };
}
