// The platform's criteria for verified creators (the admin's settings) and what they decide on their own.

/** The rollout status a new verified claim starts in. */
export async function initialStatus(
  _db: D1Database,
  _facts: { follower_count: number | null },
): Promise<'pending' | 'approved'> {
  return 'pending';
}
