/**
 * What a workflow receives in place of a payload it cannot read: an encoding the data converter
 * does not know (`--input-meta encoding=foo/bar`), bytes that are not what their encoding says,
 * or an encrypted payload the worker's codec cannot decrypt (infra/payload-converter.ts and
 * infra/payload-codec.ts make it). Handlers and entry checks refuse it like any other bad
 * payload; it never throws out of a workflow task, which the SDK would retry for ever.
 *
 * The brand is a registered symbol, not a field: a JSON payload `{"undecodable": "…"}` sent by
 * anyone is a plain object with an unknown field, never mistaken for this. JSON.stringify drops
 * the symbol, so an excerpt of it reads `{"undecodable":"encoding foo/bar"}`.
 */
const BRAND = Symbol.for('cutover.undecodable');

export interface Undecodable {
  /** why, e.g. "encoding foo/bar" or "binary/encrypted: key id \"k9\" is not configured …" */
  readonly undecodable: string;
}

/** The payload codec's encoding (infra/payload-codec.ts); named here, where the sandbox may read it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The encoding of the payload the worker's codec puts where one it cannot decrypt was. */
export const UNDECODABLE_ENCODING = 'cutover/undecodable';
/** Metadata key of that payload: the codec's reason, UTF-8. */
export const UNDECODABLE_REASON_METADATA = 'undecodable-reason';

export const undecodable = (reason: string): Undecodable => Object.freeze({ undecodable: reason, [BRAND]: true });

export const isUndecodable = (value: unknown): value is Undecodable =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;

/** One wording everywhere: "payload could not be decoded: encoding foo/bar". */
export const undecodableText = (value: Undecodable, what = 'payload') =>
  `${what} could not be decoded: ${value.undecodable}`;
