/** The live page's markup and style: a wall-screen layout the script fills in. */
export { DASHBOARD_SCRIPT } from './dashboard-script';

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cutover dashboard</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f5f6f8; }
  header { background: #1f2937; color: #fff; padding: 10px 20px; display: flex; gap: 20px; align-items: baseline; }
  header h1 { font-size: 18px; margin: 0; }
  header .read-only { color: #9ca3af; }
  #error { color: #fca5a5; }
  main { padding: 16px 20px; display: grid; gap: 16px; }
  section, .panel { background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; white-space: nowrap; }
  th { font-weight: 600; color: #4b5563; }
  tr.selected { background: #eef4ff; }
  tr.running td:first-child::before { content: "● "; color: #2f7ed8; }
  .s-SUCCESS, .s-COMPLETED, .s-PASS { color: #15803d; }
  .s-ROLLED_BACK, .s-ABORTED, .s-WARN, .s-ROLLING_BACK, .s-ESCALATED { color: #b45309; }
  .s-FAILED, .s-FAIL, .s-TERMINATED { color: #b91c1c; }
  .s-AWAITING_DECISION, .s-AWAITING_APPROVAL { color: #7c3aed; }
  tr.gap td { color: #6b7280; background: #f3f4f6; font-style: italic; }
  #phases { list-style: none; padding: 0; margin: 8px 0; }
  #phases li.p-running { font-weight: 600; color: #2f7ed8; }
  #phases li.p-failed { color: #b91c1c; }
  #phases li.p-passed { color: #15803d; }
  #decision { border-left: 4px solid #7c3aed; }
  code { background: #f3f4f6; padding: 1px 4px; border-radius: 3px; font-size: 13px; }
  #charts { display: flex; flex-wrap: wrap; gap: 8px; }
  .chart svg { max-width: 100%; height: auto; }
  li.warn { color: #b45309; } li.rollback { color: #b91c1c; }
</style>
</head>
<body>
<header>
  <h1>cutover dashboard</h1>
  <span class="read-only">read-only · votes and stops go through the CLI or the Temporal UI</span>
  <span id="updated"></span>
  <span id="error"></span>
</header>
<main>
  <section>
    <h2>Runs <small id="runs-count"></small></h2>
    <table id="runs">
      <thead><tr>
        <th>Workflow</th><th>Kind</th><th>Plan</th><th>Status</th><th>Phase / ended</th>
        <th>Started</th><th>Ended</th><th></th>
      </tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section id="detail" hidden>
    <h2 id="d-title"></h2>
    <div id="d-status"></div>
    <div id="d-next"></div>
    <ul id="phases"></ul>
    <div id="decision" hidden></div>
    <div id="monitoring" hidden>
      <h3>Monitoring</h3>
      <div id="m-head"></div>
      <p id="m-next"></p>
      <div id="charts"></div>
      <table id="sheet">
        <thead><tr>
          <th>Time</th><th>At (UTC)</th><th>Latency (ms)</th><th>Error Rate (%)</th><th>Memory (MB)</th><th>CPU (%)</th>
          <th>Status</th><th>Note</th>
        </tr></thead>
        <tbody></tbody>
      </table>
      <ul id="m-notes"></ul>
    </div>
  </section>
</main>
<script src="dashboard.js"></script>
</body>
</html>
`;
