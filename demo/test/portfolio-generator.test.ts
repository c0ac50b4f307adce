import { CanonicalHasher } from '../pipeline/canonical-checksum';
import { CHUNK_ROWS, generatePortfolio, generatePortfolioChunks } from '../pipeline/portfolio-generator';
import { PRODUCTS, REGIONS, SEGMENTS, STATUS_CODE, STATUSES } from '../pipeline/loan-schema';

const checksumOf = (rows: number, seed: number): string => {
  const h = new CanonicalHasher();
  h.addColumns(generatePortfolio(rows, seed));
  return h.digest();
};

describe('portfolio generator', () => {
  it('produces the same portfolio for the same rows and seed', () => {
    expect(checksumOf(5_000, 42)).toBe(checksumOf(5_000, 42));
  });

  it('produces a different portfolio for a different seed', () => {
    expect(checksumOf(5_000, 42)).not.toBe(checksumOf(5_000, 43));
  });

  it('gives the first rows of a larger portfolio identical to a smaller one (rows do not depend on size)', () => {
    const small = generatePortfolio(1_000, 7);
    const large = generatePortfolio(CHUNK_ROWS + 10, 7);
    expect(Array.from(large.outstanding.subarray(0, 1_000))).toEqual(Array.from(small.outstanding));
  });

  it('streams chunks that together equal the in-memory portfolio', () => {
    const rows = CHUNK_ROWS * 2 + 3;
    const streamed = new CanonicalHasher();
    const sizes: number[] = [];
    generatePortfolioChunks(rows, 9, (chunk) => {
      sizes.push(chunk.rows);
      streamed.addColumns(chunk);
    });
    expect(sizes).toEqual([CHUNK_ROWS, CHUNK_ROWS, 3]);
    expect(streamed.digest()).toBe(checksumOf(rows, 9));
  });

  it('numbers loans 1..N and keeps every field within its domain', () => {
    const c = generatePortfolio(20_000, 3);
    const bad: string[] = [];
    const check = (ok: boolean, what: string, i: number): void => {
      if (!ok && bad.length < 5) bad.push(`row ${i}: ${what}`);
    };
    for (let i = 0; i < c.rows; i++) {
      check(c.loanId[i] === i + 1, 'loan id', i);
      check(c.segment[i] < SEGMENTS.length && c.region[i] < REGIONS.length, 'segment/region code', i);
      check(c.product[i] < PRODUCTS.length && c.status[i] < STATUSES.length, 'product/status code', i);
      check(c.outstanding[i] >= 0 && c.outstanding[i] <= c.principal[i], 'outstanding within principal', i);
      check(c.daysPastDue[i] >= 0, 'days past due', i);
      const closed = c.status[i] === STATUS_CODE.repaid || c.status[i] === STATUS_CODE.written_off;
      check(!closed || c.outstanding[i] === 0, 'closed loan has no balance', i);
      check(c.status[i] !== STATUS_CODE.delinquent || c.daysPastDue[i] > 30, 'delinquent is > 30 dpd', i);
      check(Math.round(c.principal[i] * 100) / 100 === c.principal[i], 'principal in cents', i);
    }
    expect(bad).toEqual([]);
  });

  it('produces every status so every KPI has something to measure', () => {
    const c = generatePortfolio(5_000, 1);
    const seen = new Set(Array.from(c.status));
    expect(seen.size).toBe(STATUSES.length);
  });

  it('produces an empty portfolio for zero rows', () => {
    const c = generatePortfolio(0, 1);
    expect(c.rows).toBe(0);
    expect(c.outstanding.length).toBe(0);
  });
});
