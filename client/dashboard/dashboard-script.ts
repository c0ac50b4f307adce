/**
 * The page's script, sent as dashboard.js (the page's policy allows no inline script). Plain
 * browser JavaScript with no library: it polls the JSON endpoints and redraws in place, every
 * text set through textContent; only the chart SVG drawn by the server is inserted as markup.
 */
export const DASHBOARD_SCRIPT = (everyMs: number) => `'use strict';
const EVERY = ${Number(everyMs)};
const $ = (sel) => document.querySelector(sel);
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
  for (const k of kids) if (k !== undefined && k !== null) e.append(k instanceof Node ? k : String(k));
  return e;
}
// \`code\` spans in the server's instructions become <code>, everything else stays text
function md(text) {
  const span = el('span');
  String(text).split('\`').forEach((part, i) => span.append(i % 2 ? el('code', {}, part) : part));
  return span;
}
const utc = (iso) => iso ? iso.slice(0, 10) + ' ' + iso.slice(11, 19) + ' UTC' : '';
const num = (v, d) => (typeof v === 'number' ? v.toFixed(d) : '–');
function left(iso) {
  const ms = Date.parse(iso) - Date.now();
  if (!(ms > 0)) return 'due now';
  const s = Math.round(ms / 1000);
  return (s >= 3600 ? Math.floor(s / 3600) + ' h ' : '') + Math.floor((s % 3600) / 60) + ' min ' + (s % 60) + ' s left';
}
const selected = () => decodeURIComponent(location.hash.replace(/^#run=/, '')) || undefined;
const link = (href, text) => href ? el('a', { href, target: '_blank', rel: 'noopener' }, text) : '';

function renderRuns(runs) {
  const body = $('#runs tbody');
  body.replaceChildren(...runs.map((r) => {
    const cls = (r.running ? 'running ' : '') + (r.workflowId === selected() ? 'selected' : '');
    const tr = el('tr', { 'data-id': r.workflowId, class: cls },
      el('td', {}, el('a', { href: '#run=' + encodeURIComponent(r.workflowId) }, r.workflowId)),
      el('td', {}, r.kind), el('td', {}, r.plan || ''),
      el('td', { class: 'status s-' + (r.status || r.execution) }, r.status || r.execution),
      el('td', {}, r.running ? (r.phase || '') : r.execution),
      el('td', {}, utc(r.startedAt)), el('td', {}, utc(r.closedAt)),
      el('td', {}, link(r.ui, 'Temporal UI')));
    return tr;
  }));
  $('#runs-count').textContent = runs.length + ' run' + (runs.length === 1 ? '' : 's');
}

function renderDecision(d) {
  if (!d) return el('div', { id: 'decision', hidden: '' });
  return el('section', { id: 'decision' },
    el('h3', {}, 'Open decision: ' + d.label),
    el('p', { class: 'deadline' }, 'Deadline: ', el('strong', {}, utc(d.deadlineAt)), ' (',
      el('span', { class: 'left', 'data-deadline': d.deadlineAt }, d.deadlineAt ? left(d.deadlineAt) : ''), ')'),
    d.onTimeout ? el('p', {}, 'If nobody decides by then: ' + d.onTimeout) : null,
    el('p', { class: 'to-sign' }, 'Still to sign: ', el('strong', {}, d.stillToSign.join(', ') || 'nobody')),
    d.votes.length
      ? el('p', {}, 'Votes so far: ' + d.votes.map((v) => v.role + ' ' + v.decision + ' by ' + v.approver).join('; '))
      : null,
    el('ul', { class: 'how' }, ...d.cli.filter((c) => d.stillToSign.includes(c.role)).map((c) =>
      el('li', {}, 'CLI (' + c.role + '): ', el('code', { class: 'cli' }, c.command), ' — ', md(c.noGo))),
      el('li', {}, 'Temporal UI: ', md(d.ui))));
}

let charts = {};
function renderMonitoring(m) {
  const box = $('#monitoring');
  if (!m) { box.hidden = true; charts = {}; return; }
  box.hidden = false;
  $('#m-head').replaceChildren(el('strong', {}, m.status),
    ' — ' + m.message + ' · ' + m.progress + ' · ' + m.uptime + ' ', link(m.ui, 'monitoring in Temporal UI'));
  $('#m-next').textContent = m.next
    ? 'Next: ' + m.next.what + ' at ' + m.next.hour + (m.next.at ? ' (' + utc(m.next.at) + ')' : '')
    : '';
  const chartBox = $('#charts');
  for (const c of m.charts) {
    let div = chartBox.querySelector('[data-name="' + c.name + '"]');
    if (!div) { div = el('div', { class: 'chart', 'data-name': c.name }); chartBox.append(div); }
    div.setAttribute('data-points', String(c.points));
    // redrawn only when it changed: no flicker on a wall screen
    if (charts[c.name] !== c.svg) { div.innerHTML = c.svg; charts[c.name] = c.svg; }
  }
  $('#sheet tbody').replaceChildren(...m.rows.map((r) => el('tr', { class: r.kind + ' s-' + r.status },
    el('td', {}, r.label), el('td', {}, utc(r.at).slice(11)),
    el('td', {}, num(r.latencyMs, 1)), el('td', {}, num(r.errorRatePct, 3)),
    el('td', {}, num(r.memoryMb, 1)), el('td', {}, num(r.cpuPct, 1)),
    el('td', {}, r.status), el('td', {}, r.note || ''))));
  $('#m-notes').replaceChildren(...m.decisions.map((d) => el('li', {}, 'decision ' + d)),
    ...(m.rollback ? [el('li', { class: 'rollback' }, 'rollback ' + m.rollback)] : []),
    ...m.warnings.map((w) => el('li', { class: 'warn' }, 'WARN ' + w)));
}

function renderRun(r) {
  $('#detail').hidden = !r;
  if (!r) return;
  $('#d-title').replaceChildren(r.workflowId + ' ', link(r.ui, 'open in Temporal UI'),
    r.uiHint ? el('small', {}, ' (' + r.uiHint + ')') : '');
  $('#d-status').replaceChildren(el('strong', { class: 's-' + r.status }, r.status), ' — ' + r.message,
    r.ended ? el('div', {}, 'The workflow ' + r.ended) : '');
  const of = r.cutoverId
    ? el('div', {}, 'Monitoring of ', el('a', { href: '#run=' + encodeURIComponent(r.cutoverId) }, r.cutoverId))
    : '';
  $('#d-next').replaceChildren(r.next ? md('Next: ' + r.next) : '', of);
  $('#phases').replaceChildren(...(r.phases || []).map((p) => el('li', { class: 'p-' + p.state },
    p.state + ' · ' + p.title +
      (p.durationMs !== undefined ? ' (' + (p.durationMs / 1000).toFixed(1) + ' s)' : '') +
      (p.message ? ' — ' + p.message : ''))));
  $('#decision').replaceWith(renderDecision(r.openDecision));
  renderMonitoring(r.monitoring);
}

async function get(url) {
  const res = await fetch(url, { cache: 'no-store' });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}
let polls = 0;
async function poll() {
  try {
    const list = await get('api/runs');
    renderRuns(list.runs);
    const id = selected();
    renderRun(id ? (await get('api/run?id=' + encodeURIComponent(id))).run : undefined);
    $('#updated').textContent = 'updated ' + utc(list.at).slice(11);
    $('#error').textContent = '';
    document.body.setAttribute('data-polls', String(++polls));
  } catch (err) {
    $('#error').textContent = 'cannot read: ' + err.message + ' (retrying)';
  }
}
async function loop() { await poll(); setTimeout(loop, EVERY); }
const tick = () =>
  document.querySelectorAll('[data-deadline]').forEach((s) => (s.textContent = left(s.dataset.deadline)));
setInterval(tick, 1000);
window.addEventListener('hashchange', () => { charts = {}; $('#charts').replaceChildren(); poll(); });
loop();
`;
