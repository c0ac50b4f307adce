/**
 * Signed votes: OpenSSH Ed25519 public keys and SSHSIG signatures (`ssh-keygen -Y sign`),
 * verified without Node built-ins because this runs inside the workflow sandbox, synchronously,
 * in the approval update's validator. Format: OpenSSH PROTOCOL.sshsig.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2';

/** The ssh-keygen namespace of a vote, so no other signature made with the same key counts. */
export const VOTE_NAMESPACE = 'cutover-approval';

export class SignatureProblem extends Error {
  override readonly name = 'SignatureProblem';
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function fromBase64(text: string, what: string): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1)
    throw new SignatureProblem(`${what} is not valid base64`);
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += B64[(chunk >> (18 - 6 * c)) & 63];
  }
  return out + '='.repeat((4 - (out.length % 4)) % 4);
}

/** Reads the SSH wire format (RFC 4251): uint32 lengths before every string. */
class WireReader {
  private pos = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}
  raw(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new SignatureProblem(`${this.what} is truncated`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uint32(): number {
    const b = this.raw(4);
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }
  bytesField(): Uint8Array {
    return this.raw(this.uint32());
  }
  text(): string {
    return new TextDecoder().decode(this.bytesField());
  }
  end(): void {
    if (this.pos !== this.bytes.length) throw new SignatureProblem(`${this.what} has trailing bytes`);
  }
}

function wire(...fields: Array<string | Uint8Array>): Uint8Array {
  const parts = fields.map((f) => (typeof f === 'string' ? new TextEncoder().encode(f) : f));
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    new DataView(out.buffer).setUint32(pos, p.length);
    out.set(p, pos + 4);
    pos += 4 + p.length;
  }
  return out;
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface SshPublicKey {
  /** the wire blob: string "ssh-ed25519", string key */
  blob: Uint8Array;
  key: Uint8Array;
  /** as `ssh-keygen -l` prints it: SHA256:… */
  fingerprint: string;
}

function ed25519Blob(blob: Uint8Array, what: string): SshPublicKey {
  const r = new WireReader(blob, what);
  const type = r.text();
  if (type !== 'ssh-ed25519')
    throw new SignatureProblem(
      `${what} is of type ${type}; only ssh-ed25519 keys are ` + `supported (make one with ssh-keygen -t ed25519)`,
    );
  const key = r.bytesField();
  r.end();
  if (key.length !== 32) throw new SignatureProblem(`${what} has a ${key.length}-byte key; an Ed25519 key has 32`);
  return { blob, key, fingerprint: `SHA256:${toBase64(sha256(blob)).replace(/=+$/, '')}` };
}

/** Parses one line of an OpenSSH public key file: `ssh-ed25519 AAAA… comment`. */
export function parsePublicKey(line: string): SshPublicKey {
  const [type, data] = line.trim().split(/\s+/);
  if (/^(ssh-|ecdsa-|sk-)/.test(type) && type !== 'ssh-ed25519' && data) {
    throw new SignatureProblem(
      `the key is of type ${type}; only ssh-ed25519 keys are ` +
        `supported: make one with ssh-keygen -t ed25519 and list its ` +
        `.pub line`,
    );
  }
  if (type !== 'ssh-ed25519' || !data) {
    throw new SignatureProblem(
      'not an OpenSSH Ed25519 public key: paste the line of your ' + 'id_ed25519.pub, "ssh-ed25519 AAAA… you@host"',
    );
  }
  return ed25519Blob(fromBase64(data, 'the public key'), 'the public key');
}

export interface SshSignature {
  publicKey: SshPublicKey;
  namespace: string;
  hashAlgorithm: 'sha256' | 'sha512';
  signature: Uint8Array;
}

const ARMOR = /^\s*-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----\s*$/;

/** Parses the armored output of `ssh-keygen -Y sign`. */
export function parseSshSignature(armored: string): SshSignature {
  const body = ARMOR.exec(armored)?.[1];
  if (body === undefined)
    throw new SignatureProblem(
      'the signature is not an SSH signature: give the whole ' +
        '"-----BEGIN SSH SIGNATURE----- … -----END SSH SIGNATURE-----" block',
    );
  const r = new WireReader(fromBase64(body, 'the signature'), 'the signature');
  if (new TextDecoder().decode(r.raw(6)) !== 'SSHSIG')
    throw new SignatureProblem('the signature does not start with SSHSIG: it was not made by ' + 'ssh-keygen -Y sign');
  const version = r.uint32();
  if (version !== 1) throw new SignatureProblem(`the signature has SSHSIG version ${version}; only version 1 is known`);
  const publicKey = ed25519Blob(r.bytesField(), "the signature's public key");
  const namespace = r.text();
  r.bytesField(); // reserved
  const hashAlgorithm = r.text();
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512')
    throw new SignatureProblem(`the signature uses hash ${hashAlgorithm}; expected sha512 or sha256`);
  const sig = new WireReader(r.bytesField(), 'the signature blob');
  r.end();
  const sigType = sig.text();
  if (sigType !== 'ssh-ed25519')
    throw new SignatureProblem(`the signature is of type ${sigType}; only ssh-ed25519 is supported`);
  const signature = sig.bytesField();
  sig.end();
  if (signature.length !== 64) throw new SignatureProblem('the Ed25519 signature is not 64 bytes long');
  return { publicKey, namespace, hashAlgorithm, signature };
}

/** True when `parsed` signs `message` in `namespace`; the caller checks whose key it is. */
export function verifySshSignature(parsed: SshSignature, message: string, namespace: string): boolean {
  const hash = (parsed.hashAlgorithm === 'sha512' ? sha512 : sha256)(new TextEncoder().encode(message));
  const signed = new Uint8Array([
    ...new TextEncoder().encode('SSHSIG'),
    ...wire(namespace, new Uint8Array(0), parsed.hashAlgorithm, hash),
  ]);
  try {
    return ed25519.verify(parsed.signature, signed, parsed.publicKey.key, { zip215: false });
  } catch {
    return false;
  }
}

export const samePublicKey = (a: SshPublicKey, b: SshPublicKey) => equalBytes(a.blob, b.blob);
