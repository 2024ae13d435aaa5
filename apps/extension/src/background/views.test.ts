import { afterEach, describe, expect, it, vi } from 'vitest';
import { ViewsReporter } from './views';

const id = (n: number) => `ep_test${String(n).padStart(16, '0')}`;

describe('ViewsReporter', () => {
  afterEach(() => vi.useRealTimers());

  it('sends one batch of distinct ids after the delay', async () => {
    vi.useFakeTimers();
    const send = vi.fn(async () => {});
    const reporter = new ViewsReporter(send, 2_000);
    reporter.add([id(1)]);
    reporter.add([id(2), id(1)]);
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith([id(1), id(2)]);
  });

  it('sends at once when 50 ids are waiting, never more than 50 per request', async () => {
    const batches: string[][] = [];
    const reporter = new ViewsReporter(async (ids) => void batches.push(ids), 60_000);
    reporter.add(Array.from({ length: 49 }, (_, i) => id(i)));
    expect(batches).toHaveLength(0);
    reporter.add([id(100), id(101)]);
    await new Promise((r) => setTimeout(r, 0));
    expect(batches.map((b) => b.length)).toEqual([50, 1]);
  });

  it('sends ids that arrive during a send with the next batch, not right after', async () => {
    vi.useFakeTimers();
    const batches: string[][] = [];
    let release = () => {};
    const reporter = new ViewsReporter(async (ids) => {
      batches.push(ids);
      await new Promise<void>((resolve) => (release = resolve));
    }, 2_000);
    reporter.add([id(1)]);
    await vi.advanceTimersByTimeAsync(2_000);
    reporter.add([id(2)]); // while the first request is still out
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(batches).toEqual([[id(1)]]);
    await vi.advanceTimersByTimeAsync(2_000);
    release();
    expect(batches).toEqual([[id(1)], [id(2)]]);
  });

  it('drops a failed batch instead of retrying', async () => {
    const send = vi.fn(async () => {
      throw new Error('offline');
    });
    const reporter = new ViewsReporter(send, 60_000);
    reporter.add([id(1)]);
    await reporter.flush();
    await reporter.flush();
    expect(send).toHaveBeenCalledTimes(1);
  });
});
