import { describe, expect, it } from 'vitest';
import { giftMessageProblem } from './gift.js';
import { giftSchema } from './schemas.js';

describe('a gift message', () => {
  it.each([
    ['Happy birthday!\nEnjoy.', null],
    ['x'.repeat(500), null],
    ['x'.repeat(501), 'too_long'],
    [Array(11).fill('a').join('\n'), 'too_many_lines'],
    ['Hi <b>you</b>', 'markup'],
    ['3 < 4 is true', null],
    ['see https://example.test', 'link'],
    ['see WWW.example.test', 'link'],
    ['mailto:someone', 'link'],
    ['Urgent: see company-portal.example/login', 'link'],
    ['JavaScript:alert(1)', 'link'],
    ['https:/ /x.test', 'link'],
    ['go to 192.168.0.1 now', 'link'],
    ['Note: episode 2 at 10:30, e.g. tonight. Love, Sam.', null],
    ['Enjoy it, and see you at 8.30!', null],
  ])('%j → %s', (message, problem) => {
    expect(giftMessageProblem(message)).toBe(problem);
    expect(giftSchema.safeParse({ email: 'a@b.test', message }).success).toBe(problem === null);
  });
});
