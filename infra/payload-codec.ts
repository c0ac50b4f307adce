/**
 * AES-256-GCM payload codec: every payload the worker or the CLI sends to Temporal (workflow
 * and activity inputs and results, signals, updates, queries, summaries, failure messages) is
 * stored encrypted, so a plan's `env` or a notification's text is not readable in history.
 *
 * Wire form, the same as Temporal's encryption samples: the whole original Payload (its
 * metadata too) is serialized as protobuf, encrypted with a random 96-bit IV, and stored as
 * `IV ‖ ciphertext ‖ 16-byte tag`, with metadata `encoding: binary/encrypted` and
 * `encryption-key-id`. The key id is also the GCM associated data, so a payload whose key id
 * was swapped fails authentication like a tampered one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CODEC_KEY_FILE_ENV, CODEC_KEYS_ENV, loadCodecKeys, type CodecKey } from './codec-config';
import { ENCRYPTED_ENCODING, UNDECODABLE_ENCODING, UNDECODABLE_REASON_METADATA } from '../domain/undecodable';

export const ENCODING = ENCRYPTED_ENCODING;
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class PayloadCodecError extends Error {
  override name = 'PayloadCodecError';
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: CodecKey;
  private readonly byId: Map<string, Buffer>;

  /** keys: the current (encrypting) key first; all of them decrypt. */
  constructor(keys: CodecKey[]) {
    if (!keys[0]) throw new PayloadCodecError('the payload codec needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      cipher.setAAD(Buffer.from(this.current.id, 'utf8'));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCODING), [KEY_ID_METADATA]: utf8(this.current.id) }, data };
    });
  }

  /** Payloads written before the codec was turned on pass through unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!keyId)
        throw new PayloadCodecError(
          `an encrypted payload has no "${KEY_ID_METADATA}" metadata: it ` + `was not written by this codec`,
        );
      const key = this.byId.get(keyId);
      if (!key) {
        throw new PayloadCodecError(
          `payload encrypted with key id "${keyId}", which is not ` +
            `configured (configured: ${[...this.byId.keys()].join(', ')}): ` +
            `add that key to ${CODEC_KEYS_ENV} or ${CODEC_KEY_FILE_ENV}, below the current key`,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES)
        throw new PayloadCodecError(`encrypted payload (key id "${keyId}") is truncated: ` + `${data.length} bytes`);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadCodecError(
          `encrypted payload (key id "${keyId}") failed authentication: ` +
            `it was altered, or "${keyId}" names a different key than the ` +
            `one that encrypted it`,
        );
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * Failure messages and stack traces travel as an encoded payload (so the codec encrypts them)
 * instead of plain text: an activity's error can quote a command's output.
 */
export const ENCODED_FAILURE_CONVERTER_PATH = require.resolve('./encoded-failure-converter');

/**
 * A codec that never throws out of decode: a payload it cannot decode becomes a marked payload
 * (encoding cutover/undecodable, the codec's reason in its metadata), each payload on its own.
 * The worker decodes a whole workflow activation before the workflow sees it, so one bad signal
 * would otherwise fail that activation, and every later one, for ever; the payload converter
 * (infra/payload-converter.ts) turns the marked payload into a value the workflow refuses, or an
 * error where the payload is a result of our own. The codec server shows it (infra/codec-server.ts).
 */
export class TolerantPayloadCodec implements PayloadCodec {
  constructor(readonly inner: PayloadCodec) {}

  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return this.inner.encode(payloads, context);
  }

  decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        try {
          return (await this.inner.decode([payload], context))[0]!;
        } catch (err) {
          const reason =
            `` +
            (text(payload.metadata?.encoding) ?? 'a payload') +
            `: ` +
            ((err as Error)?.message ?? String(err)) +
            ``;
          return {
            metadata: { encoding: utf8(UNDECODABLE_ENCODING), [UNDECODABLE_REASON_METADATA]: utf8(reason) },
            data: new Uint8Array(),
          };
        }
      }),
    );
  }
}

/** The payload a TolerantPayloadCodec put in place of one it could not decode: its reason, else undefined. */
export const undecodableReason = (payload: Payload): string | undefined =>
  text(payload.metadata?.encoding) === UNDECODABLE_ENCODING
    ? (text(payload.metadata?.[UNDECODABLE_REASON_METADATA]) ?? 'not decodable')
    : undefined;

/** Loaded by path, in the workflow sandbox and in the worker: what a workflow cannot read, it can refuse. */
export const PAYLOAD_CONVERTER_PATH = require.resolve('./payload-converter');

/** The client's data converter (CLI, tests): undefined (SDK default, plain JSON) without keys; decode errors throw. */
export function codecDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keys = loadCodecKeys(env);
  if (!keys) return undefined;
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH };
}

/**
 * The data converter of every worker (orchestration worker, host agents, tests, bench): the
 * tolerant converter and the encoded-failure converter always; with keys, the codec too, tolerant
 * of what it cannot decrypt. Prebuilt bundles carry the same two converters (worker/bundle-options.ts):
 * a bundle is built before anyone knows whether its workers will have keys, so failures are
 * encoded payloads either way (plain JSON without keys, which every SDK client reads back).
 */
export function workerDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter {
  const codec = codecDataConverter(env);
  return {
    payloadConverterPath: PAYLOAD_CONVERTER_PATH,
    failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH,
    ...(codec && { payloadCodecs: codec.payloadCodecs!.map((c) => new TolerantPayloadCodec(c)) }),
  };
}
