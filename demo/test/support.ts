import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDataset, startDemoService, type DemoService, type StartOptions } from '../harness';

/** Shared by the demo tests: temp data dirs, JSON fetches, and services that are always stopped. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `demo-${prefix}-`));
}

export function dataset(rows: number, seed: number): string {
  const dir = tempDir(`data-${rows}-${seed}`);
  generateDataset(dir, { rows, seed });
  return dir;
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function getJson<T = any>(url: string, init?: RequestInit): Promise<JsonResponse<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* non-JSON bodies are returned as text */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export const postJson = (url: string, body: unknown): Promise<JsonResponse> =>
  getJson(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

/** Tracks every service a test file starts so afterAll can stop them even when a test failed. */
export class ServicePool {
  private readonly started: DemoService[] = [];

  async start(opts: StartOptions): Promise<DemoService> {
    const svc = await startDemoService(opts);
    this.started.push(svc);
    return svc;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((s) => s.stop(3_000)));
    this.started.length = 0;
  }
}

/** Polls until check() returns true or the (generous) deadline passes; never asserts on speed. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before deadline');
    await new Promise((r) => setTimeout(r, 50));
  }
}
