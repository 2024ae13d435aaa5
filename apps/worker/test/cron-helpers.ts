import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../src/index';

/** Runs the worker's Cron Trigger as Cloudflare would: its exported `scheduled` handler, at `scheduledTime`. */
export async function runCron(scheduledTime = Date.now()) {
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '0 * * * *' }), env);
}
