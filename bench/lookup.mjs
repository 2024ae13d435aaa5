// Public lookup path (as the extension calls it) against a bare route of the same worker, same run.
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { median } from './lib.mjs';

const run = (url, connections = 64) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections, duration: 4, pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve(result),
    ),
  );

export async function benchLookups(api, { rounds = 5 } = {}) {
  const prefix = createHash('sha256').update('7300000000000000002').digest('hex').slice(0, 5);
  const targets = {
    bare: `${api}/healthz`,
    video: `${api}/v1/videos/7300000000000000002`,
    prefix: `${api}/v1/lookup/videos/${prefix}`,
  };
  for (const url of Object.values(targets)) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  }
  await run(targets.bare); // warm-up
  // At 64 connections latency is mostly queueing (connections / throughput); one connection shows the
  // path's own latency.
  const measure = async (connections) => {
    const samples = { bare: [], video: [], prefix: [] };
    // Interleaved rounds, so drift on a shared machine hits every target alike.
    for (let r = 0; r < rounds; r++) {
      for (const [name, url] of Object.entries(targets)) {
        const result = await run(url, connections);
        if (result.non2xx || result.errors)
          throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        samples[name].push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
      }
    }
    const summary = Object.fromEntries(
      Object.entries(samples).map(([name, s]) => [
        name,
        { rps: median(s.map((x) => x.rps)), p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)) },
      ]),
    );
    for (const name of ['video', 'prefix']) summary[name].ratio = summary[name].rps / summary.bare.rps;
    return summary;
  };
  return { ...(await measure(64)), single: await measure(1) };
}
