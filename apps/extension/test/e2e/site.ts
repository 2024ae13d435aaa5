import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fixtures = new URL('../fixtures/site/', import.meta.url);

/**
 * Serves the stand-in video site (test/fixtures/site) over HTTPS with a certificate for www.tiktok.com made
 * here with the openssl CLI. Chromium reaches it as https://www.tiktok.com through --host-resolver-rules.
 */
export async function startSite(): Promise<{ port: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'series-site-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=www.tiktok.com',
      '-addext',
      'subjectAltName=DNS:www.tiktok.com',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'));
  const server = createServer({ key, cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://www.tiktok.com').pathname;
    if (path === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(readFileSync(new URL('app.js', fixtures)));
    }
    // Every page of the single-page app is the same document; it renders what the path asks for.
    if (path !== '/favicon.ico') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(readFileSync(new URL('app.html', fixtures)));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
