/** Plan check of approvals.requireSignatures and approvals.keys, with keys made by ssh-keygen. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkPlan } from '../../domain/plan-check';
import { makeKeyDir } from '../helpers/ssh-keys';

const keys = makeKeyDir();
afterAll(() => keys.cleanup());
const plan = (approvals: Record<string, unknown>) => {
  const raw = parse(fs.readFileSync(path.join(__dirname, '../fixtures/valid-plan.yaml'), 'utf8'));
  Object.assign(raw.approvals, approvals);
  return raw;
};
const problems = (raw: unknown) => {
  const r = checkPlan(raw);
  return r.ok ? [] : r.problems;
};
const everyone = () => ({
  alice: keys.key('alice').publicKey,
  bob: keys.key('bob').publicKey,
  carol: [keys.key('carol').publicKey, keys.key('carol2').publicKey],
});

test('signatures are off by default and every approver with a valid key passes', () => {
  const r = checkPlan(plan({}));
  expect(r.ok && r.plan.approvals).toMatchObject({ requireSignatures: false, keys: {} });
  const on = checkPlan(plan({ requireSignatures: true, keys: everyone() }));
  expect(on.ok && on.plan.approvals.requireSignatures).toBe(true);
});

test('with requireSignatures, an approver without a key is a problem naming the path and the fix', () => {
  const { alice } = everyone();
  expect(problems(plan({ requireSignatures: true, keys: { alice } }))).toEqual([
    {
      path: 'approvals.keys.bob',
      message: expect.stringMatching(
        /requireSignatures is on but bob has no key: add approvals\.keys\.bob: "ssh-ed25519 AAAA… bob@host" \(the line of their ~\/\.ssh\/id_ed25519\.pub\)/,
      ),
    },
    { path: 'approvals.keys.carol', message: expect.stringMatching(/carol has no key/) },
  ]);
});

test.each<[string, unknown, string, RegExp]>([
  [
    'garbage',
    'my key',
    'approvals.keys.alice',
    /not an OpenSSH Ed25519 public key: paste the line of your id_ed25519\.pub.*cat ~\/\.ssh\/id_ed25519\.pub/,
  ],
  ['a cut-off key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBl5', 'approvals.keys.alice', /truncated/],
  [
    'an ECDSA key',
    () => keys.key('alice', 'ecdsa').publicKey,
    'approvals.keys.alice',
    /of type ecdsa-sha2-nistp256; only ssh-ed25519 keys are supported/,
  ],
  [
    'an RSA key',
    'ssh-rsa AAAAB3NzaC1yc2E alice@x',
    'approvals.keys.alice',
    /of type ssh-rsa; only ssh-ed25519 keys are supported: make one with ssh-keygen -t ed25519/,
  ],
  [
    'a bad second key of a list',
    () => [keys.key('alice').publicKey, 'ssh-ed25519 !!'],
    'approvals.keys.alice.1',
    /not valid base64/,
  ],
  [
    'a private key pasted by mistake',
    () => fs.readFileSync(keys.key('alice').file, 'utf8'),
    'approvals.keys.alice',
    /not an OpenSSH Ed25519 public key/,
  ],
])('%s is a problem at its path, signatures required or not', (_t, key, at, reason) => {
  const value = typeof key === 'function' ? key() : key;
  for (const requireSignatures of [true, false]) {
    const found = problems(plan({ requireSignatures, keys: { ...everyone(), alice: value } }));
    expect(found).toEqual([{ path: at, message: expect.stringMatching(reason) }]);
  }
});

test('a wrong type or a misspelt key is reported by the schema', () => {
  expect(problems(plan({ requireSignatures: 'yes' }))).toEqual([
    expect.objectContaining({ path: 'approvals.requireSignatures' }),
  ]);
  expect(problems(plan({ requireSignature: true }))).toEqual([
    expect.objectContaining({ path: 'approvals', message: expect.stringMatching(/unknown key "requireSignature"/) }),
  ]);
});
