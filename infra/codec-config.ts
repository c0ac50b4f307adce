/**
 * Where the payload codec's keys come from: CUTOVER_CODEC_KEYS (the keys themselves) or
 * CUTOVER_CODEC_KEY_FILE (a file holding them). Neither set = no codec, payloads stay plain JSON.
 *
 * Format, either
 *   lines   `keyId:base64key` (blank lines and `#` comments ignored), or
 *   JSON    `[{"id": "k2", "key": "<base64>"}, …]` or `{"keys": [ … ]}`.
 * The FIRST key is the current one (it encrypts); every listed key decrypts: to rotate, put a
 * new key first and keep the old ones below it until no history that needs them is kept.
 * A key is 32 random bytes, base64: `openssl rand -base64 32`.
 */
import fs from 'node:fs';

export const CODEC_KEYS_ENV = 'CUTOVER_CODEC_KEYS';
export const CODEC_KEY_FILE_ENV = 'CUTOVER_CODEC_KEY_FILE';
export const CODEC_SERVER_TOKEN_ENV = 'CUTOVER_CODEC_SERVER_TOKEN';
/** The OIDC issuer whose access tokens (the Web UI's login) the codec server accepts, and their audience. */
export const CODEC_SERVER_OIDC_ISSUER_ENV = 'CUTOVER_CODEC_SERVER_OIDC_ISSUER';
export const CODEC_SERVER_OIDC_AUDIENCE_ENV = 'CUTOVER_CODEC_SERVER_OIDC_AUDIENCE';
/** Variables that must never reach a child process (see activities/services/service-driver.ts). */
export const CODEC_ENV_VARS = [CODEC_KEYS_ENV, CODEC_KEY_FILE_ENV, CODEC_SERVER_TOKEN_ENV];

export interface CodecKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const HOW_TO_MAKE = 'make a key with `openssl rand -base64 32`';

export class CodecConfigError extends Error {
  override name = 'CodecConfigError';
}

function toKey(id: unknown, b64: unknown, where: string): CodecKey {
  if (typeof id !== 'string' || !KEY_ID.test(id)) {
    throw new CodecConfigError(
      `${where}: key id ${JSON.stringify(id)} is not valid: use 1-64 ` +
        `letters, digits, ".", "_" or "-" (e.g. "k2026-11")`,
    );
  }
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64.trim())) {
    throw new CodecConfigError(`${where}: key "${id}" is not base64: ${HOW_TO_MAKE}`);
  }
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== 32) {
    throw new CodecConfigError(`${where}: key "${id}" is ${key.length} bytes, AES-256 needs 32: ${HOW_TO_MAKE}`);
  }
  return { id, key };
}

/** Parses the keys; `source` names where they came from, for the error messages. */
export function parseCodecKeys(text: string, source: string): CodecKey[] {
  const trimmed = text.trim();
  let keys: CodecKey[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new CodecConfigError(
        `${source}: not valid JSON (${(err as Error).message}); ` +
          `expected [{"id": "k1", "key": "<base64>"}] or lines "k1:<base64>"`,
      );
    }
    const list = Array.isArray(json) ? json : (json as { keys?: unknown }).keys;
    if (!Array.isArray(list))
      throw new CodecConfigError(`${source}: expected a JSON list of {"id", "key"} (or {"keys": [...]})`);
    keys = list.map((entry, i) =>
      toKey((entry as { id?: unknown })?.id, (entry as { key?: unknown })?.key, `${source}[${i}]`),
    );
  } else {
    keys = trimmed
      .split('\n')
      .map((line, i) => ({ line: line.trim(), n: i + 1 }))
      .filter(({ line }) => line && !line.startsWith('#'))
      .map(({ line, n }) => {
        const colon = line.indexOf(':');
        if (colon < 1)
          throw new CodecConfigError(
            `${source} line ${n}: expected "keyId:base64key" (e.g. ` + `"k1:$(openssl rand -base64 32)")`,
          );
        return toKey(line.slice(0, colon).trim(), line.slice(colon + 1), `${source} line ${n}`);
      });
  }
  if (keys.length === 0)
    throw new CodecConfigError(`${source}: no keys listed: add a line "k1:<base64>" (${HOW_TO_MAKE})`);
  const seen = new Set<string>();
  for (const { id } of keys) {
    if (seen.has(id))
      throw new CodecConfigError(`${source}: key id "${id}" is listed twice: each key needs its own id`);
    seen.add(id);
  }
  return keys;
}

/** The configured keys, current first; undefined when no codec is configured. */
export function loadCodecKeys(env: NodeJS.ProcessEnv = process.env): CodecKey[] | undefined {
  const inline = env[CODEC_KEYS_ENV];
  const file = env[CODEC_KEY_FILE_ENV];
  if (inline && file) {
    throw new CodecConfigError(`both ${CODEC_KEYS_ENV} and ${CODEC_KEY_FILE_ENV} are set: keep one of them`);
  }
  if (inline) return parseCodecKeys(inline, CODEC_KEYS_ENV);
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CodecConfigError(
      `${CODEC_KEY_FILE_ENV}=${file}: cannot read it (` +
        `${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ` +
        `check the path and its permissions`,
    );
  }
  return parseCodecKeys(text, `${CODEC_KEY_FILE_ENV} (${file})`);
}
