/**
 * The name the workflows carry V1's recorded values under (domain/baseline.ts); compares are domain/value-compare.ts.
 */
export type { BaselineValues as Kpis } from './baseline';
