/**
 * test/helpers/postgres.ts when PostgreSQL cannot start: the error names the component, quotes
 * its log and says the fix, as a plain Error a jest worker can report, and nothing is left behind.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../helpers/postgres';

test('a port another process holds: the error names PostgreSQL, quotes its log and says the fix', async () => {
  // a folder of our own as the temp dir, to see what the helper leaves; reachable as /tmp is
  // (the postgres user, as root, must reach the cluster inside it)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-pgfail-'));
  fs.chmodSync(tmp, 0o711);
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as net.AddressInfo;
  try {
    const err = await startPostgres({ port }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(err)).toBe(Error.prototype);
    expect(Object.keys(err as Error)).toEqual([]);
    const message = (err as Error).message;
    expect(message).toMatch(/^PostgreSQL exited at start \(code 1\); its log:\n/);
    expect(message).toContain('could not create any TCP/IP sockets');
    expect(message).toContain(`port ${port} is taken: free it, or pick another`);
    expect(() => JSON.stringify(err)).not.toThrow();
    expect(fs.readdirSync(tmp)).toEqual([]);
  } finally {
    holder.close();
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
