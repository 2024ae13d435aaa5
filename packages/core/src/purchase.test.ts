import { describe, expect, it } from 'vitest';
import { itemKey } from './purchase.js';

describe('itemKey', () => {
  it('names an episode and a whole series apart, in the form stored as purchases.item_key', () => {
    expect(itemKey({ episodeId: 'ep_demoLighthouse00002' })).toBe('episode:ep_demoLighthouse00002');
    expect(itemKey({ seriesId: 'ser_demoLighthouseKeeper' })).toBe('series:ser_demoLighthouseKeeper');
  });
});
