/**
 * One interface for every router: read its state, point new requests at weights, put back a
 * state read earlier. Drivers never verify through the public address (verify.ts does) and
 * are idempotent: applying what is already there changes nothing.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RouterState } from '../../domain/traffic-state';

export interface TrafficDriver {
  read(): Promise<RouterState>;
  /** percent of new requests per role; 0 takes a role out (drained where the router can) */
  setWeights(weights: { v1: number; v2: number }): Promise<void>;
  /** back to exactly `state` (a read() from before); the caller reads back and compares */
  restore(state: RouterState): Promise<void>;
}

export const now = () => new Date().toISOString();

/** The file's text, or null when it does not exist. */
export async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Write-then-rename, so a reader sees the old file or the new one, never half of one; null deletes. */
export async function writeAtomic(file: string, text: string | null): Promise<void> {
  if (text === null) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** host:port of a service base URL, as routers name their upstream servers. */
export function hostPort(baseUrl: string): string {
  const u = new URL(baseUrl);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}
