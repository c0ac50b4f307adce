/** The CLI as a user runs it: a real subprocess, its output and its exit code. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCutover } from '../helpers/cutover-cli';

const REPO = path.resolve(__dirname, '../..');
const cutover = (...args: string[]) => runCutover(args);

test('plan check accepts the demo plan', () => {
  const r = cutover('plan', 'check', path.join(REPO, 'demo/cutover-plan.yaml'));
  expect(r.code).toBe(0);
  expect(r.out).toContain('✓ plan "loans-demo" is valid: loans-v1 (process) → loans-v2 (process)');
});

test('plan check lists every problem of a bad plan with its path and exits 2', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-')), 'bad.yaml');
  fs.writeFileSync(file, 'name: x\nservices: {v1: {driver: k8s}}\ntests: {command: npm test}\n');
  const r = cutover('plan', 'check', file);
  expect(r.code).toBe(2);
  expect(r.err).toContain('nothing was started');
  expect(r.err).toContain('✗ services.v1.driver: driver must be one of: process, systemd, docker, exec');
  expect(r.err).toContain('✗ tests.command: expected array, received string: change it to a list');
  expect(r.err).toContain('✗ backup: required');
});

test('start refuses a bad plan before it contacts Temporal', () => {
  const r = cutover('start', '/no/such/plan.yaml');
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/cannot read \/no\/such\/plan\.yaml/);
});

test('an unreachable Temporal server is told with the address and the fix', () => {
  const r = cutover('status', 'cutover-x');
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/cannot reach Temporal at 127\.0\.0\.1:1 .*scripts\/dev-server\.sh/);
});

test('plan schema prints a JSON Schema', () => {
  const r = cutover('plan', 'schema');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out).properties.services).toBeDefined();
});
