import { env } from 'cloudflare:workers';
import { call } from './helpers';

/** A fixture video's bytes (see test/fixtures). */
export function fixture(name: string): Uint8Array {
  const b64 = env.FIXTURES[name];
  if (!b64) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

/** A valid MP4 padded with a top-level `free` box to `size` bytes: big enough for several upload parts. */
export function paddedMp4(size: number): Uint8Array {
  const clip = fixture('clip-3s.mp4');
  const pad = size - clip.length;
  const out = new Uint8Array(size);
  out.set(clip);
  new DataView(out.buffer).setUint32(clip.length, pad);
  out.set([0x66, 0x72, 0x65, 0x65], clip.length + 4); // 'free'
  return out;
}

export const uploadWhole = (token: string, episodeId: string, bytes: Uint8Array) =>
  call('PUT', `/v1/episodes/${episodeId}/media`, { token, bytes });

/** Runs the multipart flow: create, PUT every part, complete. */
export async function uploadInParts(token: string, episodeId: string, bytes: Uint8Array) {
  const created = await call('POST', `/v1/episodes/${episodeId}/uploads`, { token, body: { size: bytes.length } });
  if (created.status !== 201) return created;
  const { id, partSize, partCount } = created.json.upload;
  for (let n = 1; n <= partCount; n++) {
    const part = bytes.subarray((n - 1) * partSize, n * partSize);
    const res = await call('PUT', `/v1/uploads/${id}/parts/${n}`, { token, bytes: part });
    if (res.status !== 200) return res;
  }
  return call('POST', `/v1/uploads/${id}/complete`, { token });
}

export async function mediaKeys(): Promise<string[]> {
  const listed = await env.MEDIA.list();
  return listed.objects.map((o) => o.key);
}
