// Accounts made by "Continue with TikTok": no email nor password until their owner adds them.
import { newId } from '../lib/ids.js';
import { createEmptyUser, deleteUserWithoutData } from './queries.js';

export async function createTikTokUser(db: D1Database, now: number): Promise<string> {
  const id = newId('usr');
  await createEmptyUser(db, id, now);
  return id;
}

export { deleteUserWithoutData as deleteEmptyUser };
