// Tax (issue 21) with the test provider: tax-inclusive prices, the tax recorded per purchase when the payment
// completes at the rate TEST_TAX_RATES configures (per buyer country), commission and payout taken from the amount
// net of tax, refunds splitting the tax back, and the rollups, analytics and payouts showing it apart.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { completePurchase } from '../src/ledger/sale-queries';
import { listedCountries, parseTaxRates, testTax, testTaxRate } from '../src/payments/tax';
import { admin, call, idemKey, publishedSeries, setEnvOverrides, signup, startCheckout } from './helpers';
import { pagePath } from './checkout-helpers';
import { expectInvariants } from './invariants';
import { waitForMail } from './mail-helpers';
import { SESSION_COOKIE } from '../src/auth/queries';

const setCommission = async (bps: number) =>
  expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps } })).status).toBe(200);

afterEach(async () => {
  setEnvOverrides({});
  await setCommission(0);
});

const split = (id: string) =>
  env.DB.prepare(
    'SELECT amount, tax_amount, commission_amount, payout_amount, refunded_amount, status FROM purchases WHERE id = ?',
  )
    .bind(id)
    .first<Record<string, number | string>>();
const summary = async (token: string) => (await call('GET', '/v1/analytics/summary', { token })).json.totals[0];

/** Pays a test checkout as the buyer's browser would, with the country picked on the page (or none). */
function pay(checkoutUrl: string, country?: string) {
  const url = new URL(checkoutUrl);
  const form = new URLSearchParams({ sig: url.searchParams.get('sig') ?? '' });
  if (country !== undefined) form.set('country', country);
  return call('POST', `${url.pathname}/pay`, {
    raw: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

async function taxedSale(rates: string, country?: string) {
  setEnvOverrides({ TEST_TAX_RATES: rates });
  const shop = await publishedSeries();
  const buyer = await signup();
  const co = await startCheckout(buyer.token, { episodeId: shop.ep3.id });
  expect(co.status, co.text).toBe(201);
  expect((await pay(co.json.checkoutUrl, country)).status).toBe(303);
  return { ...shop, buyer, co, purchaseId: co.json.purchaseId as string };
}

describe('TEST_TAX_RATES', () => {
  it('reads one rate for everyone or rates per country, and refuses a malformed setting', () => {
    expect(parseTaxRates(undefined)).toBeNull();
    expect(parseTaxRates(' ')).toBeNull();
    expect([...parseTaxRates('2000')!]).toEqual([['*', 2000]]);
    const rates = parseTaxRates('fr:2000, DE:1900,*:0');
    expect([...rates!]).toEqual([
      ['FR', 2000],
      ['DE', 1900],
      ['*', 0],
    ]);
    expect(listedCountries(rates)).toEqual(['DE', 'FR']);
    expect(testTaxRate(rates, 'de')).toBe(1900);
    expect(testTaxRate(rates, 'US')).toBe(0);
    expect(testTaxRate(parseTaxRates('FR:2000'), 'US')).toBe(0);
    expect(testTaxRate(null, 'FR')).toBe(0);
    expect(testTax(rates, 1199, 'FR')).toBe(200);
    for (const bad of ['FR:abc', 'France:2000', '20%', 'FR:-1', 'FR:10001', 'FR:1.5']) {
      expect(() => parseTaxRates(bad), bad).toThrow(/TEST_TAX_RATES/);
    }
  });
});

describe('tax with the test provider', () => {
  it('without a rate, nothing changes: tax 0, commission and payout of the whole amount', async () => {
    await setCommission(1000);
    const shop = await publishedSeries();
    const buyer = await signup();
    const co = await startCheckout(buyer.token, { episodeId: shop.ep3.id });
    const page = await call('GET', pagePath(co.json.checkoutUrl));
    expect(page.text).not.toContain('name="country"');
    expect(page.text).not.toContain('Tax included');
    expect((await pay(co.json.checkoutUrl)).status).toBe(303);
    expect(await split(co.json.purchaseId)).toMatchObject({
      amount: 299,
      tax_amount: 0,
      commission_amount: 29,
      payout_amount: 270,
    });
    expect(await summary(shop.owner.token)).toMatchObject({ gross: 299, tax: 0, commission: 29, payout: 270 });
    await expectInvariants();
  });

  it('records the tax in the price when the payment completes; commission and payout are of the amount net of it', async () => {
    await setCommission(1000);
    const s = await taxedSale('2000');
    // 299 at 20% included: 50 of tax, 249 net, 24 commission (rounded down), 225 to the creator.
    expect(await split(s.purchaseId)).toMatchObject({
      amount: 299,
      tax_amount: 50,
      commission_amount: 24,
      payout_amount: 225,
      status: 'paid',
    });
    // The price shown is the price paid; the buyer's receipt says the tax it included.
    const receipt = await call('GET', `/v1/purchases/${s.purchaseId}`, { token: s.buyer.token });
    expect(receipt.json.purchase).toMatchObject({ amount: 299, taxAmount: 50 });
    const page = await call('GET', pagePath(s.co.json.checkoutUrl));
    expect(page.text).toContain('$2.99');
    expect(page.text).toContain('Including $0.50 of tax.');
    const fr = await call('GET', pagePath(s.co.json.checkoutUrl), { headers: { 'Accept-Language': 'fr' } });
    expect(fr.text).toContain('Dont 0,50\u00a0$US de taxes.');
    // The receipt page and the receipt mail say it too.
    const page2 = await call('GET', `/receipts/${s.purchaseId}`, {
      headers: { Cookie: `${SESSION_COOKIE}=${s.buyer.token}` },
    });
    expect(page2.text).toContain('<th scope="row">Of which tax</th><td data-tax-amount="true">$0.50</td>');
    const mail = await waitForMail(s.buyer.email, /receipt/i);
    expect(mail.text_body).toContain('Of which tax: $0.50');
    // Analytics and payouts show it apart.
    expect(await summary(s.owner.token)).toMatchObject({ sales: 1, gross: 299, tax: 50, commission: 24, payout: 225 });
    const statements = (await call('GET', '/v1/payouts', { token: s.owner.token })).json;
    expect(JSON.stringify(statements)).toContain('"tax":50');
    await expectInvariants();
  });

  it('asks the buyer’s country when rates differ by country, picks where they are, and taxes at that country’s rate', async () => {
    setEnvOverrides({ TEST_TAX_RATES: 'FR:2000,DE:1900,*:0' });
    const shop = await publishedSeries();
    const buyer = await signup();
    const co = await startCheckout(buyer.token, { episodeId: shop.ep3.id });
    const page = await call('GET', pagePath(co.json.checkoutUrl));
    expect(page.text).toContain('Country or region');
    expect(page.text).toContain('<option value="DE"');
    expect(page.text).toContain('France');
    expect(page.text).toContain('Another country');
    expect(page.text).toContain('Tax included where it applies.');
    const fr = await call('GET', pagePath(co.json.checkoutUrl), { headers: { 'Accept-Language': 'fr' } });
    expect(fr.text).toContain('Pays ou région');
    expect(fr.text).toContain('Allemagne');
    expect((await pay(co.json.checkoutUrl, 'DE')).status).toBe(303);
    // 299 at 19% included: 47.74, so 48.
    expect(await split(co.json.purchaseId)).toMatchObject({ tax_amount: 48, payout_amount: 251 });

    const other = await startCheckout(buyer.token, { episodeId: shop.ep2.id });
    expect((await pay(other.json.checkoutUrl, '')).status).toBe(303);
    expect(await split(other.json.purchaseId)).toMatchObject({ amount: 199, tax_amount: 0, payout_amount: 199 });
    // A country that has no rate of its own, sent anyway, is taxed as every other country.
    const series = await startCheckout(buyer.token, { seriesId: shop.series.id });
    expect((await pay(series.json.checkoutUrl, 'XX')).status).toBe(303);
    expect(await split(series.json.purchaseId)).toMatchObject({ tax_amount: 0 });
    await expectInvariants();
  });

  it('partial and full refunds give the tax back in proportion; the rollups keep commission + payout + tax = gross − refunded', async () => {
    await setCommission(1000);
    const s = await taxedSale('2000');
    const refund = (amount?: number) =>
      call('POST', `/v1/sales/${s.purchaseId}/refunds`, {
        token: s.owner.token,
        body: amount === undefined ? {} : { amount },
        headers: { 'Idempotency-Key': idemKey() },
      });
    expect((await refund(100)).status).toBe(201);
    // 100 of 299: tax back ceil(100·50/299) = 17, commission back floor(100·24/299) = 8, payout back 75.
    expect(await summary(s.owner.token)).toMatchObject({
      gross: 299,
      refunded: 100,
      tax: 33,
      commission: 16,
      payout: 150,
    });
    await expectInvariants();
    expect((await refund()).status).toBe(201);
    expect(await summary(s.owner.token)).toMatchObject({ refunded: 299, tax: 0, commission: 0, payout: 0 });
    expect(await split(s.purchaseId)).toMatchObject({ status: 'refunded', tax_amount: 50 });
    await expectInvariants();
  });

  it('the ledger refuses a negative tax and never records more tax than was paid', async () => {
    const shop = await publishedSeries();
    const buyer = await signup();
    const co = await startCheckout(buyer.token, { episodeId: shop.ep2.id });
    await expect(completePurchase(env.DB, co.json.purchaseId, { tax: -1 })).rejects.toThrow(RangeError);
    await expect(completePurchase(env.DB, co.json.purchaseId, { tax: 1.5 })).rejects.toThrow(RangeError);
    expect(await split(co.json.purchaseId)).toMatchObject({ status: 'pending', tax_amount: 0 });
    // A provider reporting more tax than the price: the whole price is tax, the payout 0, never negative.
    expect((await completePurchase(env.DB, co.json.purchaseId, { tax: 500 })).outcome).toBe('completed');
    expect(await split(co.json.purchaseId)).toMatchObject({ amount: 199, tax_amount: 199, payout_amount: 0 });
    await expectInvariants();
  });

  it('a second Pay of a paid checkout records nothing again', async () => {
    const s = await taxedSale('2000');
    setEnvOverrides({ TEST_TAX_RATES: '1000' });
    expect((await pay(s.co.json.checkoutUrl)).status).toBe(303);
    expect(await split(s.purchaseId)).toMatchObject({ tax_amount: 50, payout_amount: 249 });
    expect(await summary(s.owner.token)).toMatchObject({ sales: 1, tax: 50 });
    await expectInvariants();
  });
});
