/**
 * The loan record and its closed vocabularies. Categories are stored as small integer codes in the
 * columnar file (index into these arrays) and as the names in CSV, so both formats share one list.
 */
export const SEGMENTS = ['retail', 'sme', 'corporate', 'microfinance'] as const;
export const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;
export const PRODUCTS = ['personal', 'mortgage', 'auto', 'business', 'credit_card'] as const;
export const STATUSES = ['current', 'delinquent', 'default', 'written_off', 'repaid'] as const;

export type Segment = (typeof SEGMENTS)[number];
export type Region = (typeof REGIONS)[number];
export type Product = (typeof PRODUCTS)[number];
export type LoanStatus = (typeof STATUSES)[number];

export const STATUS_CODE = { current: 0, delinquent: 1, default: 2, written_off: 3, repaid: 4 } as const;

/** Code stored for a category that could not be read (counted as a null field by integrity). */
export const UNKNOWN_CODE = 255;

/** Dimensions a KPI breakdown can be grouped by. */
export const GROUP_DIMENSIONS = ['segment', 'region', 'product'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];
export const GROUP_NAMES: Record<GroupDimension, readonly string[]> = {
  segment: SEGMENTS,
  region: REGIONS,
  product: PRODUCTS,
};

/**
 * One loan as V1 sees it after parsing CSV. Numeric fields are null when the CSV cell was empty or
 * unparsable: V1 counts them as nulls for integrity and as 0 in KPIs.
 */
export interface LoanRow {
  loanId: number | null;
  segment: string | null;
  region: string | null;
  product: string | null;
  principal: number | null;
  outstanding: number | null;
  apr: number | null;
  originationDate: string | null; // YYYY-MM-DD
  termMonths: number | null;
  daysPastDue: number | null;
  status: string | null;
  amountDue: number | null;
  amountCollected: number | null;
}

export const CSV_HEADER = [
  'loan_id',
  'segment',
  'region',
  'product',
  'principal',
  'outstanding_balance',
  'apr',
  'origination_date',
  'term_months',
  'days_past_due',
  'status',
  'amount_due',
  'amount_collected',
] as const;

/** Fields per row, used to report null-field counts consistently in V1 and V2. */
export const FIELD_COUNT = CSV_HEADER.length;

const DAY_MS = 86_400_000;
export function dayToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
export function isoDateToDay(iso: string): number {
  const ms = Date.parse(iso + 'T00:00:00Z');
  return Number.isFinite(ms) ? Math.round(ms / DAY_MS) : NaN;
}
