/**
 * The Web UI in Chromium reads encrypted history decoded, with the codec server behind a login.
 * The dev server's UI has no login of its own (its flags offer none), so the path is the one the
 * docs give for such a UI: a real nginx in front of the UI and the codec server on one origin,
 * signing the browser in and passing the session's access token to `cutover codec-server`, which
 * verifies it against the test issuer. The direct path (a UI with its own OIDC login passing its
 * token) is checked from the same browser: a cross-origin call with the issuer's token.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { codecDataConverter } from '../../infra/payload-codec';
import { startDevServer } from '../helpers/temporal-env';
import { freePort } from '../helpers/demo-fixture';
import type { RouterProcess } from '../helpers/router-process';
import { startTestIssuer, type TestIssuer } from '../helpers/oidc-issuer';
import { SESSION_COOKIE, startCodecProxy, startSignInService, type SignInService } from '../helpers/codec-proxy';
import { newKeys, startCodecServer, type CodecServerProcess } from '../codec/codec-helpers';
import { newPage, uiTest } from '../helpers/ui-browser';
import { waitFor } from '../helpers/wait-for';

const OUTPUT = path.resolve(__dirname, '../../.data/test-output/ui');
const AUDIENCE = 'temporal-ui';
const keys = newKeys();
const SECRET = `plan-path-${crypto.randomBytes(6).toString('hex')}`;
let issuer: TestIssuer;
let signIn: SignInService;
let codecServer: CodecServerProcess;
let proxy: RouterProcess;
let env: TestWorkflowEnvironment;
let uiPort: number;
let started: { workflowId: string; runId: string };

beforeAll(async () => {
  issuer = await startTestIssuer();
  signIn = await startSignInService(issuer, AUDIENCE, 'alice');
  uiPort = await freePort();
  codecServer = await startCodecServer(keys, [`http://127.0.0.1:${uiPort}`], {
    CUTOVER_CODEC_SERVER_OIDC_ISSUER: issuer.url,
    CUTOVER_CODEC_SERVER_OIDC_AUDIENCE: AUDIENCE,
  });
  const proxyPort = await freePort();
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  env = await startDevServer(['--log-level', 'error', '--ui-codec-endpoint', `${proxyUrl}/codec`], { uiPort });
  proxy = await startCodecProxy(
    { signIn: signIn.url, codec: codecServer.url, ui: `http://127.0.0.1:${uiPort}` },
    proxyPort,
  );
  // the page is loaded once and waited on: the UI must answer before the browser opens it
  await waitFor(
    'the dev server UI to answer',
    async () => (await fetch(`http://127.0.0.1:${uiPort}/`).catch(() => undefined))?.ok,
  );
  // No worker: the started event's input is enough encrypted history to read.
  const client = new Client({
    connection: env.connection,
    namespace: 'default',
    dataConverter: codecDataConverter({ CUTOVER_CODEC_KEYS: keys }),
  });
  const handle = await client.workflow.start('cutoverWorkflow', {
    taskQueue: 'codec-login-no-worker',
    workflowId: `codec-login-${crypto.randomBytes(4).toString('hex')}`,
    args: [{ plan: SECRET, startedBy: 'alice' }],
  });
  started = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}, 180_000);
afterAll(async () => {
  await proxy?.stop();
  await codecServer?.stop();
  await env?.teardown();
  await signIn?.close();
  await issuer?.close();
});

/** The started event's input as the server stores it (read without the codec). */
async function storedInput() {
  const history = await env.client.workflow.getHandle(started.workflowId).fetchHistory();
  return history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
}

uiTest()(
  'through nginx the UI signs in and shows the encrypted input decoded',
  async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    const page = await newPage();
    try {
      const { workflowId, runId } = started;
      await page.goto(`${proxy.publicUrl}/namespaces/default/workflows/${workflowId}/${runId}/history`, {
        timeout: 0,
      });
      // waited on until the text is there (jest's test timeout bounds it)
      await page.waitForFunction((s: string) => (globalThis as any).document.body.innerText.includes(s), SECRET, {
        timeout: 0,
        polling: 250,
      });
      await page.screenshot({ path: path.join(OUTPUT, 'codec-login-decoded.png'), fullPage: true });
      expect(new URL(page.url()).origin).toBe(proxy.publicUrl);
      expect((await page.context().cookies()).map((c) => c.name)).toContain(SESSION_COOKIE);
      // what the page shows came through the codec: the stored input is ciphertext
      const input = await storedInput();
      expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(input.data!).includes(SECRET)).toBe(false);
    } finally {
      await page.close();
    }
  },
  180_000,
);

uiTest()(
  "direct: from the UI's origin, a call with the issuer's token passes CORS and decodes; without it, 401",
  async () => {
    const page = await newPage();
    try {
      await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows`, { timeout: 0 });
      const input = await storedInput();
      const payload = {
        metadata: Object.fromEntries(
          Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
        ),
        data: Buffer.from(input.data!).toString('base64'),
      };
      // as the UI does with "pass access token": Authorization and X-Namespace, so the browser preflights
      const call = (token?: string) =>
        page.evaluate(
          async ({ url, body, token }) => {
            const res = await fetch(url, {
              method: 'POST',
              credentials: 'include',
              headers: {
                'Content-Type': 'application/json',
                'X-Namespace': 'default',
                ...(token ? { Authorization: `Bearer ${token}` } : {}),
              },
              body,
            });
            return { status: res.status, text: await res.text() };
          },
          { url: `${codecServer.url}/decode`, body: JSON.stringify({ payloads: [payload] }), token },
        );
      const ok = await call(issuer.token({ aud: AUDIENCE }));
      expect(ok.status).toBe(200);
      const decoded = JSON.parse(ok.text) as { payloads: { data: string }[] };
      expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toContain(SECRET);
      expect((await call()).status).toBe(401);
    } finally {
      await page.close();
    }
  },
  120_000,
);
