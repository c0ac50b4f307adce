/** The pure readers and schemas behind every handler and entry point: total, bounded, explicit. */
import { emptyLog, excerpt, MESSAGES_KEPT, noteMessage } from '../../domain/message-log';
import { readResume, readStopRequest } from '../../domain/message-readers';
import { checkInput, cutoverInputSchema, untrustedFields } from '../../domain/message-schemas';

test.each([
  ['no payload', undefined, { by: 'someone (no payload)', notes: [] }],
  ['{}', {}, { by: 'someone', notes: [] }],
  ['a full payload', { reason: 'window closed', by: 'bob' }, { reason: 'window closed', by: 'bob', notes: [] }],
  [
    'a bare string',
    'KPIs wrong',
    {
      reason: 'KPIs wrong',
      by: 'someone (malformed payload)',
      notes: [expect.stringMatching(/payload is a string.*honoured anyway/)],
    },
  ],
  ['an array', [1], { by: 'someone (malformed payload)', notes: [expect.stringMatching(/payload is an array/)] }],
  [
    'wrong types and an unknown field',
    { reason: 5, by: ['x'], when: 'now' },
    {
      by: 'someone',
      notes: [
        expect.stringMatching(/unknown field\(s\) "when"/),
        'reason: expected a string, got a number: ignored',
        'by: expected a string, got an array: ignored',
      ],
    },
  ],
])('a stop request with %s is honoured, with what could not be used noted', (_label, raw, expected) => {
  expect(readStopRequest(raw)).toEqual(expected);
});

test('over-long stop reasons and names are cut, with a note', () => {
  const r = readStopRequest({ reason: 'r'.repeat(100_000), by: 'b'.repeat(1000) });
  expect(r.reason).toHaveLength(501);
  expect(r.by).toHaveLength(101);
  expect(r.notes).toEqual(['reason: 100000 characters, cut to 500', 'by: 1000 characters, cut to 100']);
});

test.each([
  [undefined, { ok: true, notes: [] }],
  [{ phase: 'phase3' }, { ok: true, phase: 'phase3', notes: [] }],
  [
    { phase: 'phase3', extra: 1 },
    { ok: true, phase: 'phase3', notes: [expect.stringMatching(/unknown field\(s\) "extra"/)] },
  ],
  [
    { phase: 'phase9' },
    { ok: false, reason: expect.stringMatching(/^phase: "phase9" is not a phase: use one of phase0, gate/) },
  ],
  [{ phase: 3 }, { ok: false, reason: expect.stringMatching(/^phase: a number is not a phase/) }],
  ['phase3', { ok: false, reason: expect.stringMatching(/payload is a string: send \{\}/) }],
])('resume %j', (raw, expected) => {
  expect(readResume(raw)).toEqual(expected);
});

test('the message log keeps the last entries and the count, with short excerpts', () => {
  const log = emptyLog();
  for (let i = 0; i < 50; i++)
    noteMessage(log, {
      name: 'resume',
      at: `t${i}`,
      reason: 'bad',
      honoured: false,
      raw: { phase: 'x'.repeat(100_000) },
    });
  expect(log.count).toBe(50);
  expect(log.last).toHaveLength(MESSAGES_KEPT);
  expect(log.last[0].at).toBe(`t${50 - MESSAGES_KEPT}`);
  expect(log.last[0].excerpt).toMatch(/^\{"phase":"x+… \(100012 chars\)$/);
  expect(log.last[0].excerpt.length).toBeLessThan(230);
  expect(excerpt(undefined)).toBe('(no payload)');
});

test('input errors name the field and the fix', () => {
  expect(checkInput(cutoverInputSchema, undefined)).toEqual({
    ok: false,
    message: expect.stringMatching(/^input: required — start it with an object/),
  });
  expect(checkInput(cutoverInputSchema, { plan: 'p.yaml', dryrun: true })).toEqual({
    ok: false,
    message: 'input: unknown field(s) "dryrun": remove them',
  });
  expect(checkInput(cutoverInputSchema, { plan: 'p.yaml', holdBefore: ['phase3'] })).toMatchObject({ ok: true });
});

test('trusted fields come only from our own parent workflow or a continue-as-new run', () => {
  const input = { plan: 'p', cutoverId: 'c1', loaded: {}, backup: {} };
  expect(untrustedFields(input, ['loaded', 'state', 'backup'], {}, ['c1'])).toMatch(
    /^input\.loaded, input\.backup: accepted only from the cutover's own workflows \(this run has no parent\)/,
  );
  expect(untrustedFields(input, ['loaded', 'state', 'backup'], { parentWorkflowId: 'someone-else' }, ['c1'])).toMatch(
    /this run has parent someone-else/,
  );
  expect(untrustedFields(input, ['loaded', 'state', 'backup'], { parentWorkflowId: 'c1' }, ['c1'])).toBeUndefined();
  expect(untrustedFields(input, ['loaded', 'state', 'backup'], { continuedFromRunId: 'r1' }, ['c1'])).toBeUndefined();
  expect(untrustedFields({ plan: 'p', cutoverId: 'c1' }, ['loaded'], {}, [])).toBeUndefined();
});
