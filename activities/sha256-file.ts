/** The checksum every backup file (archive, database part) is written and verified with. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { heartbeat } from './heartbeat';

/** Streams the file so a large archive is never in memory; heartbeats as it goes. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    heartbeat({ hashing: path.basename(file) });
  }
  return hash.digest('hex');
}
