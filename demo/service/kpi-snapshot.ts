import type { Kpis } from '../pipeline/kpi-types';
import { GROUP_DIMENSIONS, type GroupDimension } from '../pipeline/loan-schema';
import type { LoadedDataset } from './dataset';
import { driftResult, type Faults } from './faults';

/** Every breakdown the service computes: dimension → group → KPIs. */
export type Breakdowns = Record<GroupDimension, Record<string, Kpis>>;
export interface KpiSnapshot {
  kpis: Kpis;
  breakdowns: Breakdowns;
}

/**
 * The totals and every breakdown of one loaded dataset. The data only changes on a reload (a new
 * dataset object), so the three extra passes are made once per load, not per request; the live
 * drift faults are applied on top each time, so what is served and published drifts alike.
 */
const computed = new WeakMap<LoadedDataset, { kpis: Kpis; groups: Breakdowns }>();

function raw(dataset: LoadedDataset): { kpis: Kpis; groups: Breakdowns } {
  let entry = computed.get(dataset);
  if (!entry) {
    const groups = Object.fromEntries(
      GROUP_DIMENSIONS.map((by) => [by, dataset.computeKpis(by).groups ?? {}]),
    ) as Breakdowns;
    entry = { kpis: dataset.computeKpis().kpis, groups };
    computed.set(dataset, entry);
  }
  return entry;
}

export function breakdowns(dataset: LoadedDataset, faults: Faults): Breakdowns {
  const { kpis, groups } = raw(dataset);
  return Object.fromEntries(
    GROUP_DIMENSIONS.map((by) => [by, driftResult({ kpis, groups: groups[by] }, faults).groups ?? {}]),
  ) as Breakdowns;
}

export function kpiSnapshot(dataset: LoadedDataset, faults: Faults): KpiSnapshot {
  return { kpis: driftResult({ kpis: raw(dataset).kpis }, faults).kpis, breakdowns: breakdowns(dataset, faults) };
}
