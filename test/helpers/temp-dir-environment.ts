/**
 * The jest environment of every test file: the file's temp dir (TMPDIR, os.tmpdir()) is a folder
 * of its own, removed after the file whatever its tests left there — fixtures, servers' data,
 * child processes' scratch files. A run leaves nothing behind in the machine's temp dir, and
 * scripts/test.sh checks that. Mode 0711: PostgreSQL started as root runs as the postgres user,
 * which must reach its cluster inside (scripts/postgres-runtime.sh).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestEnvironment } from 'jest-environment-node';

export default class TempDirEnvironment extends TestEnvironment {
  private dir?: string;
  private before?: string;

  override async setup(): Promise<void> {
    await super.setup();
    this.before = process.env.TMPDIR;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-test-file-'));
    fs.chmodSync(this.dir, 0o711);
    // the worker's own env (what os.tmpdir() reads) and the test's copy of it (what spawn passes on)
    process.env.TMPDIR = this.dir;
    (this.global.process as NodeJS.Process).env.TMPDIR = this.dir;
  }

  override async teardown(): Promise<void> {
    if (this.before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.before;
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
    await super.teardown();
  }
}
