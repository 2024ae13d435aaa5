// The rollups' day keys; defined in core because the dashboard must name days the same way.
export { utcDay } from '@series/core';

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
