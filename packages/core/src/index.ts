export * from './limits.js';
export * from './currency.js';
export * from './payout.js';
export * from './schemas.js';
export * from './lookup.js';
export * from './extension.js';
export * from './payouts.js';
export * from './account.js';
