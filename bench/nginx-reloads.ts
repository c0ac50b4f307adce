/**
 * nginx reloads under steady load, nothing else (a quick, repeatable look at what a reload does to
 * clients; bench/traffic.ts runs whole cutovers): real nginx in front of two tiny version backends,
 * N switches V1 ↔ V2 through the nginx traffic driver, every failed or resent request printed with
 * its time relative to the reload it met (worker pids watched through /proc).
 * npx tsx bench/nginx-reloads.ts [--switches 20] [--rate 200] [--connections 8] [--no-keepalive]
 * [--server-keepalive-off] [--timeline]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../activities/services/service-driver';
import { changeTraffic } from '../activities/traffic';
import { reloadAndWait } from '../activities/traffic/nginx-reload';
import { allTo } from '../domain/traffic-state';
import { startNginx, upstreamBlock } from '../test/helpers/nginx';
import { routerPlan, startVersionBackends } from '../test/helpers/version-backends';
import { describeLoad, startLoad } from './load-generator';
import { describeEvent, watchNginxWorkers } from './nginx-watch';

const arg = (name: string, dflt: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt;

async function main() {
  const switches = Number(arg('switches', '20'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-nginx-reloads-'));
  const backends = await startVersionBackends();
  const nginx = await startNginx(upstreamBlock([new URL(backends.urls.v1).host]), dir);
  if (process.argv.includes('--server-keepalive-off')) {
    // nginx's side of "no keep-alive": every answer says Connection: close
    fs.writeFileSync(
      nginx.config,
      fs.readFileSync(nginx.config, 'utf8').replace('http {', 'http {\n  keepalive_timeout 0;'),
    );
    await reloadAndWait(nginx.config, () =>
      runCommand(['nginx', '-s', 'reload', '-c', nginx.config], { timeoutMs: 30_000 }),
    );
  }
  const loaded = routerPlan(dir, backends.urls, {
    driver: 'nginx',
    config: nginx.config,
    include: nginx.include,
    publicUrl: nginx.publicUrl,
    stateDir: 'state',
  });
  const { marks, stop: stopWatching } = watchNginxWorkers(nginx.config);
  const load = startLoad({
    url: `${nginx.publicUrl}/health`,
    rate: Number(arg('rate', '200')),
    connections: Number(arg('connections', '8')),
    keepAlive: !process.argv.includes('--no-keepalive'),
    maxSeconds: 600,
  });
  // --settle N: time to attach strace/tcpdump to the printed nginx before the switches
  console.error(`nginx ${nginx.publicUrl}, master pid ${fs.readFileSync(path.join(dir, 'nginx.pid'), 'utf8').trim()}`);
  await new Promise((r) => setTimeout(r, Number(arg('settle', '0.5')) * 1000));
  const took: { all: number; verify: number }[] = [];
  for (let i = 0; i < switches; i++) {
    const t = Date.now();
    marks.push({ at: t, what: `switch ${i + 1} → ${i % 2 ? 'v1' : 'v2'}` });
    const step = await changeTraffic(loaded, allTo(i % 2 ? 'v1' : 'v2'), 'bench', { cutoverId: 'bench' });
    took.push({ all: Date.now() - t, verify: step.verified?.ms ?? 0 });
    await new Promise((r) => setTimeout(r, 300));
  }
  const report = await load.stop();
  stopWatching();
  await nginx.stop();
  await backends.close();
  const t0 = marks[0]?.at ?? 0;
  const lines = [
    ...marks.map((m) => ({ at: m.at, line: m.what })),
    ...report.events.map((e) => ({ at: e.at, line: `  ${describeEvent(e)}` })),
  ];
  lines.sort((a, b) => a.at - b.at);
  if (process.argv.includes('--timeline'))
    for (const l of lines) console.log(`${String(l.at - t0).padStart(6)} ms ${l.line}`);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `a switch (median): ${median(took.map((x) => x.all))} ms = ` +
      `include, nginx -t, reload, old workers gone ` +
      `${median(took.map((x) => x.all - x.verify))} ms + verified ` +
      `through nginx ${median(took.map((x) => x.verify))} ms`,
  );
  console.log(
    `${switches} switches (load average ` +
      `${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}): ${describeLoad(report)}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
