/** The AES-256-GCM codec and its key configuration, without a server. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, codecDataConverter, ENCODING, KEY_ID_METADATA } from '../../infra/payload-codec';
import { loadCodecKeys, parseCodecKeys } from '../../infra/codec-config';

const newKey = () => crypto.randomBytes(32).toString('base64');
const keys = (text: string) => parseCodecKeys(text, 'test');
const SECRET = { env: { DB_PASSWORD: 'hunter2-very-secret' }, text: 'Cutover aborted: the vault token is abc123' };
const str = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');

test(
  'round trip: the original payload (data and metadata) comes ' + 'back; the stored form holds no plaintext',
  async () => {
    const codec = new AesGcmPayloadCodec(keys(`k1:${newKey()}`));
    const plain = defaultPayloadConverter.toPayload(SECRET);
    const [enc] = await codec.encode([plain]);
    expect(str(enc!.metadata!.encoding)).toBe(ENCODING);
    expect(str(enc!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Buffer.from(enc!.data!).includes('hunter2')).toBe(false);
    expect(Buffer.from(enc!.data!).includes('json/plain')).toBe(false);
    const [dec] = await codec.decode([enc!]);
    expect(defaultPayloadConverter.fromPayload(dec!)).toEqual(SECRET);
    expect(str(dec!.metadata!.encoding)).toBe('json/plain');
  },
);

test('a random IV per payload: the same value encrypts differently each time', async () => {
  const codec = new AesGcmPayloadCodec(keys(`k1:${newKey()}`));
  const p = defaultPayloadConverter.toPayload('same');
  const [a, b] = await codec.encode([p, p]);
  expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
});

test('rotation: the new key encrypts, the old key still decrypts what it wrote', async () => {
  const [k1, k2] = [newKey(), newKey()];
  const before = new AesGcmPayloadCodec(keys(`k1:${k1}`));
  const [old] = await before.encode([defaultPayloadConverter.toPayload('written under k1')]);
  const after = new AesGcmPayloadCodec(keys(`# current first\nk2:${k2}\nk1:${k1}\n`));
  const [fresh] = await after.encode([defaultPayloadConverter.toPayload('written under k2')]);
  expect(str(fresh!.metadata![KEY_ID_METADATA])).toBe('k2');
  const [a, b] = await after.decode([old!, fresh!]);
  expect(defaultPayloadConverter.fromPayload(a!)).toBe('written under k1');
  expect(defaultPayloadConverter.fromPayload(b!)).toBe('written under k2');
  // a codec that dropped k1 names the missing key and the fix
  const dropped = new AesGcmPayloadCodec(keys(`k2:${k2}`));
  await expect(dropped.decode([old!])).rejects.toThrow(
    /key id "k1", which is not configured \(configured: k2\): add that key to CUTOVER_CODEC_KEYS/,
  );
});

test('tampering is detected: a flipped byte, a truncated payload, a swapped key id', async () => {
  const [k1, k2] = [newKey(), newKey()];
  const codec = new AesGcmPayloadCodec(keys(`k1:${k1}\nk2:${k2}`));
  const [enc] = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
  const flipped = Buffer.from(enc!.data!);
  flipped[20] = flipped[20]! ^ 0x01;
  await expect(codec.decode([{ ...enc!, data: flipped }])).rejects.toThrow(
    /key id "k1"\) failed authentication: it was altered/,
  );
  await expect(codec.decode([{ ...enc!, data: Buffer.from(enc!.data!).subarray(0, 10) }])).rejects.toThrow(/truncated/);
  const swapped = { ...enc!, metadata: { ...enc!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
  await expect(codec.decode([swapped])).rejects.toThrow(/key id "k2"\) failed authentication/);
});

test('payloads written before the codec was on pass through decode unchanged', async () => {
  const codec = new AesGcmPayloadCodec(keys(`k1:${newKey()}`));
  const plain = defaultPayloadConverter.toPayload({ a: 1 });
  expect(await codec.decode([plain])).toEqual([plain]);
});

describe('key configuration', () => {
  test('lines and JSON forms, current key first', () => {
    const [a, b] = [newKey(), newKey()];
    expect(keys(`\n# comment\nnew:${a}\nold : ${b}\n`).map((k) => k.id)).toEqual(['new', 'old']);
    expect(
      keys(
        JSON.stringify([
          { id: 'x', key: a },
          { id: 'y', key: b },
        ]),
      ).map((k) => k.id),
    ).toEqual(['x', 'y']);
    expect(keys(JSON.stringify({ keys: [{ id: 'z', key: a }] }))[0]!.key).toEqual(Buffer.from(a, 'base64'));
  });

  test('every bad setting names where it is and how to fix it', () => {
    expect(() => keys(`k1:${crypto.randomBytes(16).toString('base64')}`)).toThrow(
      'test line 1: key "k1" is 16 bytes, AES-256 needs 32: make a ' + 'key with `openssl rand -base64 32`',
    );
    expect(() => keys('k1:not base64!')).toThrow(/test line 1: key "k1" is not base64/);
    expect(() => keys(`just-a-key-without-id`)).toThrow(/test line 1: expected "keyId:base64key"/);
    expect(() => keys(`k1:${newKey()}\nk1:${newKey()}`)).toThrow(/key id "k1" is listed twice/);
    expect(() => keys('[{"id": "a b", "key": "x"}]')).toThrow(/test\[0\]: key id "a b" is not valid/);
    expect(() => keys('{"keys": 3}')).toThrow(/expected a JSON list/);
    expect(() => keys('# only a comment')).toThrow(/no keys listed/);
  });

  test('from the env var or a file; neither means no codec; both is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codec-keys-'));
    const file = path.join(dir, 'keys');
    fs.writeFileSync(file, `f1:${newKey()}\n`, { mode: 0o600 });
    expect(loadCodecKeys({})).toBeUndefined();
    expect(codecDataConverter({})).toBeUndefined();
    expect(loadCodecKeys({ CUTOVER_CODEC_KEY_FILE: file })![0]!.id).toBe('f1');
    expect(loadCodecKeys({ CUTOVER_CODEC_KEYS: `e1:${newKey()}` })![0]!.id).toBe('e1');
    expect(() => loadCodecKeys({ CUTOVER_CODEC_KEYS: `e1:${newKey()}`, CUTOVER_CODEC_KEY_FILE: file })).toThrow(
      /both CUTOVER_CODEC_KEYS and CUTOVER_CODEC_KEY_FILE are set/,
    );
    expect(() => loadCodecKeys({ CUTOVER_CODEC_KEY_FILE: path.join(dir, 'missing') })).toThrow(
      /CUTOVER_CODEC_KEY_FILE=.*missing: cannot read it \(ENOENT\)/,
    );
    expect(codecDataConverter({ CUTOVER_CODEC_KEY_FILE: file })!.payloadCodecs).toHaveLength(1);
    fs.rmSync(dir, { recursive: true });
  });
});
