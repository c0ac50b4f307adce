/**
 * Who may ask the codec server to decode: a request carries `Authorization: Bearer <x>`, where x
 * is the static token (the `temporal` CLI's --codec-auth) or an access token from the configured
 * OIDC issuer (the Web UI's login, with its "pass access token" codec setting). With both
 * configured either one is accepted; with neither, every request is (a private address only).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CODEC_SERVER_OIDC_AUDIENCE_ENV,
  CODEC_SERVER_OIDC_ISSUER_ENV,
  CODEC_SERVER_TOKEN_ENV,
  CodecConfigError,
} from './codec-config';
import { JwtVerifier } from './jwt-verifier';

export type AuthVerdict = { ok: true; by: string } | { ok: false; status: 401 | 503; reason: string };

export interface CodecServerAuth {
  /** for the start-up log line: what a request must carry */
  describe: string;
  check(authorization: string | undefined): Promise<AuthVerdict>;
}

/** SHA-256 first, so tokens of different lengths compare in constant time too. */
function tokenMatches(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function codecServerAuth(opts: { token?: string; verifier?: JwtVerifier }): CodecServerAuth | undefined {
  const { token, verifier } = opts;
  if (!token && !verifier) return undefined;
  const accepted = [token && 'the static token', verifier && `an access token from ${verifier.issuer}`];
  return {
    describe: `Authorization: Bearer <${accepted.filter(Boolean).join(' or ')}>`,
    async check(authorization) {
      const given = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
      if (!given) return { ok: false, status: 401, reason: `no bearer token: send Authorization: Bearer <token>` };
      if (token && tokenMatches(given, token)) return { ok: true, by: 'static token' };
      if (!verifier) return { ok: false, status: 401, reason: 'the bearer token is not the configured token' };
      const verdict = await verifier.verify(given);
      return verdict.ok ? { ok: true, by: verdict.subject } : verdict;
    },
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The codec server's authentication from its settings (see infra/codec-config.ts for the names). */
export function codecServerAuthFromEnv(env: NodeJS.ProcessEnv = process.env): CodecServerAuth | undefined {
  const issuer = env[CODEC_SERVER_OIDC_ISSUER_ENV]?.trim() || undefined;
  const audience = env[CODEC_SERVER_OIDC_AUDIENCE_ENV]?.trim() || undefined;
  if (audience && !issuer)
    throw new CodecConfigError(
      `${CODEC_SERVER_OIDC_AUDIENCE_ENV} is set without ${CODEC_SERVER_OIDC_ISSUER_ENV}: ` +
        `set the issuer URL too (e.g. https://login.example.com/realms/ops), or unset the audience`,
    );
  let verifier: JwtVerifier | undefined;
  if (issuer) {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new CodecConfigError(
        `${CODEC_SERVER_OIDC_ISSUER_ENV}=${issuer}: not a URL: ` +
          `give the issuer as its tokens' "iss" claim says it, e.g. https://login.example.com/realms/ops`,
      );
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
      throw new CodecConfigError(
        `${CODEC_SERVER_OIDC_ISSUER_ENV}=${issuer}: use https (plain http only for an issuer on this machine): ` +
          `the issuer's keys decide who reads every payload`,
      );
    if (!audience)
      throw new CodecConfigError(
        `${CODEC_SERVER_OIDC_ISSUER_ENV} is set without ${CODEC_SERVER_OIDC_AUDIENCE_ENV}: ` +
          `set the audience the issuer puts in the UI's access tokens (their "aud" claim, often the UI's client id)`,
      );
    verifier = new JwtVerifier({ issuer, audience });
  }
  return codecServerAuth({ token: env[CODEC_SERVER_TOKEN_ENV] || undefined, verifier });
}
