import { generateDataset, startDemoService } from './harness';
import * as fs from 'node:fs';
async function main() {
  const dir = '/tmp/pd-bench/data';
  if (!fs.existsSync(dir + '/manifest.json')) generateDataset(dir, { rows: 100_000, seed: 42, csv: 'always' });
  for (const version of ['v1', 'v2'] as const) {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const s = await startDemoService({ version, dataDir: dir });
      ms.push(performance.now() - t);
      const k = performance.now(); await (await fetch(s.url + '/kpis')).json(); const kms = performance.now() - k;
      await s.stop();
      ms.push(-kms);
    }
    console.log(process.argv[2], version, 'ready ms', ms.filter((x) => x > 0).map(Math.round), 'first /kpis ms', ms.filter((x) => x < 0).map((x) => Math.round(-x)));
  }
}
void main();
