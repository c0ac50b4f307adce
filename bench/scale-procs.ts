/** CPU and RSS of other processes for bench/scale.ts, read from /proc (Linux). */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds (user + system) so far; 0 for a process that is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

export function rssMb(pid: number): number {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Pids whose command line holds every one of these strings. */
export function pidsOf(...parts: string[]): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.trim() && parts.every((p) => l.includes(p)))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** CPU % of one core and max RSS of a set of processes over a span, sampled once a second. */
export class ProcMeter {
  private cpu0: number;
  private readonly t0 = Date.now();
  rssMaxMb = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pids: number[]) {
    this.cpu0 = this.cpu();
    this.timer = setInterval(() => (this.rssMaxMb = Math.max(this.rssMaxMb, this.rss())), 1000);
  }
  private cpu() {
    return this.pids.reduce((s, p) => s + cpuSeconds(p), 0);
  }
  private rss() {
    return this.pids.reduce((s, p) => s + rssMb(p), 0);
  }
  stop(): { cpuPct: number; cpuS: number; rssMaxMb: number; rssNowMb: number } {
    clearInterval(this.timer);
    const cpuS = this.cpu() - this.cpu0;
    return {
      cpuPct: (cpuS / ((Date.now() - this.t0) / 1000)) * 100,
      cpuS,
      rssMaxMb: Math.max(this.rssMaxMb, this.rss()),
      rssNowMb: this.rss(),
    };
  }
}
