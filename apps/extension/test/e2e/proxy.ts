import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  range: string | undefined;
  status: number;
}

/**
 * A recording reverse proxy in front of the worker: the extension is pointed at it, so the test sees every
 * request the extension makes (what a lookup reveals) and can take the API "down" (connections refused).
 */
export async function startProxy(target: string) {
  const upstream = new URL(target);
  const log: Recorded[] = [];
  let down = false;
  const server = createServer((req, res) => {
    if (down) return req.socket.destroy();
    const entry: Recorded = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization,
      range: req.headers.range,
      status: 0,
    };
    log.push(entry);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: req.headers.host },
      },
      (upstreamRes) => {
        entry.status = upstreamRes.statusCode ?? 0;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    setDown(value: boolean) {
      down = value;
      if (value) server.closeAllConnections();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
