/**
 * A canary step's analysis against V1 live, with a Prometheus check templated by `{{ version }}`:
 * V1 and V2 of the orders service both take traffic and are scraped by a real Prometheus, each
 * series labelled with its version; V2's error rate is compared with V1's in the same window.
 * Equal → PASS; V2 answering 500 to every second request while V1 does not → FAIL, the record
 * saying what each measured. Its JSON report lands in the plan's reports folder.
 */
import fs from 'node:fs';
import { canaryAnalysis } from '../../activities/checks/canary-analysis';
import { createOrdersFixture, type OrdersFixture } from '../helpers/orders-fixture';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus';

let f: OrdersFixture;
let prom: TestPrometheus;
beforeAll(async () => {
  f = await createOrdersFixture({ name: 'orders-canary-prom' });
  await f.start('v1');
  await f.start('v2', { ORDERS_FAULT_FILE: f.faultFile }); // started by hand: the plan's fault-file env is the process driver's
  prom = await startPrometheus(
    (['v1', 'v2'] as const).map((v) => ({
      job: `orders-${v}`,
      address: `127.0.0.1:${f.ports[v]}`,
      labels: { version: v },
    })),
  );
}, 120_000);
afterAll(async () => {
  await prom?.stop();
  await f?.cleanup();
});

const series = (v: string, code = '') => `orders_http_requests_total{version="${v}"${code}}`;
const errorRate = {
  name: 'error_rate',
  report: 'error_handling',
  at: ['shadow', 'phase5'],
  prometheus: {
    query:
      `(sum(rate(${series('{{ version }}', ',code=~"5.."')}[{{ window ` +
      `}}])) or vector(0)) / sum(rate(${series('{{ version }}')}[{{ ` +
      `window }}]))`,
    window: '20s',
  },
  compare: { against: 'v1', absolute: 0.05 },
};
const traffic = async () => {
  for (let i = 0; i < 20; i++)
    for (const v of ['v1', 'v2'] as const) await fetch(`${f.urls[v]}/summary`).catch(() => undefined);
};
/** Until Prometheus itself answers `promql` with a series: then the check can see it too. */
async function untilPrometheusSees(promql: string) {
  for (;;) {
    await traffic();
    if ((await prom.query(promql)).length) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

test(
  "V2's error rate compared with V1's live, both read from " + 'Prometheus by version: equal passes, V2 worse fails',
  async () => {
    const loaded = f.loaded([errorRate], { prometheus: { address: prom.url } });
    for (const v of ['v1', 'v2']) await untilPrometheusSees(`sum(rate(${series(v)}[20s])) > 0`);
    const ok = await canaryAnalysis(loaded, { cutoverId: 'cutover-prom-1', step: 1, weight: 10 });
    expect(ok).toMatchObject({ status: 'PASS', failing: [] });
    expect(ok.measured).toEqual([
      expect.stringMatching(
        /^error_rate PASS: V2 against V1 live: all 1 fields within ±0\.05 .*; worst value: V1 0, V2 0$/,
      ),
    ]);

    fs.writeFileSync(f.faultFile, JSON.stringify({ errors: 0.5 }));
    await untilPrometheusSees(`sum(rate(${series('v2', ',code="500"')}[20s])) / sum(rate(${series('v2')}[20s])) > 0.2`);
    const bad = await canaryAnalysis(loaded, { cutoverId: 'cutover-prom-1', step: 2, weight: 50 });
    expect(bad.status).toBe('FAIL');
    expect(bad.failing).toEqual([expect.stringMatching(/^error_handling: /)]);
    // what each measured: V1 without errors, V2 with them
    expect(bad.measured[0]).toMatch(/^error_rate FAIL: V2 against V1 live: .*; worst value: V1 0, V2 0\.\d+/);
    const report = JSON.parse(fs.readFileSync(bad.reportPath, 'utf8'));
    expect(report).toMatchObject({
      status: 'FAIL',
      canary: { cutoverId: 'cutover-prom-1', step: 2, weight: 50, measured: bad.measured },
    });
  },
  180_000,
);

test(
  'a check that follows its target is also run on V1 for the ' + 'record; a command with a fixed argv is not',
  async () => {
    const echo = (name: string, arg: string) => ({
      name,
      report: 'audit_trail',
      at: ['phase5'],
      command: { argv: ['node', '-e', 'console.log(process.argv[1])', arg] },
    });
    const loaded = f.loaded([echo('fixed', 'same-for-both'), echo('follows', '{{ baseUrl }}')]);
    const analysis = await canaryAnalysis(loaded, { cutoverId: 'cutover-cmd-1', step: 1, weight: 10 });
    expect(analysis.status).toBe('PASS');
    expect(analysis.measured[0]).toMatch(
      /^fixed PASS: V2 .* · V1 not measured \(the check does not follow its target\)$/,
    );
    expect(analysis.measured[1]).toMatch(/^follows PASS: V2 .* · V1 (?!not measured)/);
  },
);
