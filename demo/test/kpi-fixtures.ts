import { allocColumns, type LoanColumns } from '../pipeline/loan-columns';
import { isoDateToDay, PRODUCTS, REGIONS, SEGMENTS, STATUSES, type LoanRow } from '../pipeline/loan-schema';

/** Hand-written loans, and the same loans as columns, for checking KPI formulas by hand. */
export function loan(over: Partial<LoanRow>): LoanRow {
  return {
    loanId: 1,
    segment: 'retail',
    region: 'north',
    product: 'personal',
    principal: 1000,
    outstanding: 500,
    apr: 0.1,
    originationDate: '2024-01-01',
    termMonths: 12,
    daysPastDue: 0,
    status: 'current',
    amountDue: 100,
    amountCollected: 100,
    ...over,
  };
}

export function toColumns(rows: LoanRow[]): LoanColumns {
  const c = allocColumns(rows.length);
  const code = (names: readonly string[], v: string | null): number => (v === null ? 255 : names.indexOf(v));
  rows.forEach((r, i) => {
    c.loanId[i] = r.loanId ?? 0;
    c.segment[i] = code(SEGMENTS, r.segment);
    c.region[i] = code(REGIONS, r.region);
    c.product[i] = code(PRODUCTS, r.product);
    c.status[i] = code(STATUSES, r.status);
    c.principal[i] = r.principal ?? 0;
    c.outstanding[i] = r.outstanding ?? 0;
    c.apr[i] = r.apr ?? 0;
    c.originationDay[i] = isoDateToDay(r.originationDate ?? '1970-01-01');
    c.termMonths[i] = r.termMonths ?? 0;
    c.daysPastDue[i] = r.daysPastDue ?? 0;
    c.amountDue[i] = r.amountDue ?? 0;
    c.amountCollected[i] = r.amountCollected ?? 0;
  });
  return c;
}
