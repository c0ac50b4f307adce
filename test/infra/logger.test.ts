import { Writable } from 'node:stream';
import { createLogger } from '../../infra/logger';

test('secrets are redacted by key wherever they sit in a log line', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = createLogger('t', sink as never, 'info');
  logger.info(
    { apiKey: 'k-123', conn: { password: 'p-456', nested: { token: 't-789' } }, keep: 'visible' },
    'connecting',
  );
  const line = JSON.parse(lines[0]);
  expect(line).toMatchObject({
    apiKey: '[redacted]',
    conn: { password: '[redacted]', nested: { token: '[redacted]' } },
    keep: 'visible',
    msg: 'connecting',
    name: 't',
  });
  expect(lines[0]).not.toMatch(/k-123|p-456|t-789/);
});
