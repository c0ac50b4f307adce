/**
 * Verifies an OIDC access token (a JWT) the way the issuer publishes it: the key comes from the
 * issuer's JWKS (found through `<issuer>/.well-known/openid-configuration`), picked by the
 * token's `kid`; RS256 and ES256 only, each tied to its key type so a token cannot choose a
 * weaker check; `iss`, `aud`, `exp` and `nbf` checked with a small clock skew.
 * Node's crypto does the signature work: no JWT library to trust or to keep up to date.
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface JwtVerifierOptions {
  /** the issuer's URL, exactly as its tokens' `iss` claim and its discovery document say it */
  issuer: string;
  /** the `aud` a token must name (the UI's client id, or the API audience the IdP puts there) */
  audience: string;
  /** seconds of difference allowed between our clock and the issuer's (default 60) */
  clockSkewSeconds?: number;
  /** how long fetched keys are trusted before the JWKS is read again (default 10 min) */
  keysMaxAgeMs?: number;
  now?: () => number;
}

export type JwtVerdict = { ok: true; subject: string } | { ok: false; reason: string; status: 401 | 503 };

/** A key set larger than this is cut: an unknown `kid` must not grow memory without end. */
const MAX_KEYS = 32;
/** An unknown `kid` re-reads the JWKS (the issuer rotated), at most this often. */
const MIN_REFETCH_MS = 10_000;
const FETCH_TIMEOUT_MS = 5_000;

const ALGORITHMS = {
  RS256: { kty: 'RSA', dsaEncoding: undefined },
  ES256: { kty: 'EC', dsaEncoding: 'ieee-p1363' as const },
} as const;
type Algorithm = keyof typeof ALGORITHMS;

/** The issuer's keys cannot be had: not the caller's fault, so 503 and not 401. */
class IssuerUnreachable extends Error {}

async function getJson(url: string, what: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  } catch (err) {
    throw new IssuerUnreachable(`cannot read the issuer's ${what} at ${url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new IssuerUnreachable(`the issuer's ${what} at ${url} answered HTTP ${res.status}`);
  const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!json || typeof json !== 'object') throw new IssuerUnreachable(`the issuer's ${what} at ${url} is not JSON`);
  return json;
}

const decodePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000', '');

export class JwtVerifier {
  private keys = new Map<string, { key: KeyObject; alg?: string }>();
  private fetchedAt = -Infinity;
  private triedAt = -Infinity;
  private lastError: Error | undefined;
  private refreshing: Promise<void> | undefined;
  /** where the discovery document is: the issuer without a trailing slash */
  private readonly base: string;
  private readonly skew: number;
  private readonly maxAge: number;
  private readonly now: () => number;

  constructor(private readonly opts: JwtVerifierOptions) {
    this.base = opts.issuer.replace(/\/+$/, '');
    this.skew = opts.clockSkewSeconds ?? 60;
    this.maxAge = opts.keysMaxAgeMs ?? 10 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  get issuer(): string {
    return this.opts.issuer;
  }

  async verify(token: string): Promise<JwtVerdict> {
    const deny = (reason: string): JwtVerdict => ({ ok: false, reason, status: 401 });
    const parts = token.split('.');
    const header = parts.length === 3 ? decodePart(parts[0]!) : undefined;
    const claims = parts.length === 3 ? decodePart(parts[1]!) : undefined;
    if (!header || !claims)
      return deny('the bearer token is not a JWT (three base64url parts, JSON header and claims)');
    const alg = header.alg as string;
    if (!Object.hasOwn(ALGORITHMS, alg))
      return deny(`token algorithm ${JSON.stringify(alg)} is not accepted (RS256, ES256)`);
    if (typeof header.kid !== 'string')
      return deny('the token names no key id (kid): cannot tell which issuer key signed it');
    const kid = header.kid;

    let entry;
    try {
      entry = await this.keyFor(kid);
    } catch (err) {
      if (err instanceof IssuerUnreachable) return { ok: false, reason: err.message, status: 503 };
      throw err;
    }
    if (!entry) return deny(`token key id ${JSON.stringify(kid)} is not in the issuer's key set (${this.base})`);
    const { kty, dsaEncoding } = ALGORITHMS[alg as Algorithm];
    if (entry.key.asymmetricKeyType !== kty.toLowerCase() || (entry.alg && entry.alg !== alg))
      return deny(`token algorithm ${alg} does not match key ${JSON.stringify(kid)}`);
    if (alg === 'ES256' && entry.key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      return deny(`key ${JSON.stringify(kid)} is not a P-256 key, which ES256 needs`);
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2]!, 'base64url');
    let valid = false;
    try {
      valid = verifySignature('sha256', signed, { key: entry.key, dsaEncoding }, signature);
    } catch {
      // a signature of the wrong shape for the key: as invalid as a wrong one
    }
    if (!valid) return deny('token signature does not verify with the issuer key it names');

    const now = this.now() / 1000;
    if (claims.iss !== this.opts.issuer)
      return deny(`token issuer ${JSON.stringify(claims.iss)} is not ${JSON.stringify(this.opts.issuer)}`);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.opts.audience))
      return deny(
        `token audience ${JSON.stringify(claims.aud)} does not include ${JSON.stringify(this.opts.audience)}`,
      );
    if (typeof claims.exp !== 'number') return deny('token has no expiry (exp)');
    if (now > claims.exp + this.skew) return deny(`token expired at ${iso(claims.exp)}`);
    if (typeof claims.nbf === 'number' && now < claims.nbf - this.skew)
      return deny(`token is not valid before ${iso(claims.nbf)}`);
    const subject = typeof claims.sub === 'string' ? claims.sub : '(no sub)';
    return { ok: true, subject };
  }

  private async keyFor(kid: string) {
    const now = this.now();
    const stale = now - this.fetchedAt > this.maxAge;
    const unknown = !this.keys.has(kid);
    // one fetch at a time: a page of the UI sends many requests at once, and they wait for it
    if ((stale || unknown) && now - this.triedAt > MIN_REFETCH_MS)
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    if ((stale || unknown) && this.refreshing) {
      try {
        await this.refreshing;
        this.lastError = undefined;
      } catch (err) {
        this.lastError = err as Error;
      }
    }
    // an issuer down for a moment: the keys read before are still its keys, for a while
    if (this.lastError && (this.keys.size === 0 || now - this.fetchedAt > 2 * this.maxAge)) throw this.lastError;
    return this.keys.get(kid);
  }

  private async refresh() {
    this.triedAt = this.now();
    const discovery = await getJson(`${this.base}/.well-known/openid-configuration`, 'discovery document');
    if (discovery.issuer !== this.opts.issuer)
      throw new IssuerUnreachable(
        `the discovery document at ${this.base} names issuer ${JSON.stringify(discovery.issuer)}, ` +
          `not ${JSON.stringify(this.opts.issuer)}: set the issuer exactly as it does`,
      );
    if (typeof discovery.jwks_uri !== 'string')
      throw new IssuerUnreachable(`the issuer's discovery document (${this.base}) names no jwks_uri`);
    const jwks = await getJson(discovery.jwks_uri, 'key set (JWKS)');
    const keys = new Map<string, { key: KeyObject; alg?: string }>();
    for (const jwk of (Array.isArray(jwks.keys) ? jwks.keys : []) as (JsonWebKey & { alg?: string })[]) {
      if (keys.size >= MAX_KEYS) break;
      if ((jwk.use && jwk.use !== 'sig') || typeof jwk.kid !== 'string') continue;
      try {
        keys.set(jwk.kid, { key: createPublicKey({ key: jwk, format: 'jwk' }), alg: jwk.alg });
      } catch {
        // a key type we do not use (e.g. an encryption key) is skipped, not fatal
      }
    }
    this.keys = keys;
    this.fetchedAt = this.now();
  }
}
