import { promqlProblems } from '../../domain/promql-lint';

test('valid queries, templates and comments have no problems', () => {
  for (const q of [
    'sum(rate(demo_http_errors_total{job="{{ service }}"}[{{ window ' +
      '}}])) / sum(rate(demo_http_requests_total{job="{{ service }}"}[{{window}}]))',
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{version="{{ version }}"}[5m])))',
    'max_over_time(process_resident_memory_bytes[1h:30s])',
    'rate(x[1h30m]) # a comment with ( and "',
    'up{path=~"/api/(v1|v2)[a-z]+\\"q"}',
    "count(up{job='a}'})",
    'avg_over_time(x[10m:])',
  ])
    expect(promqlProblems(q)).toEqual([]);
});

test('empty queries and unknown or broken templates', () => {
  expect(promqlProblems('  ')).toEqual([expect.stringMatching(/the query is empty/)]);
  expect(promqlProblems('up{job="{{ target }}"}')).toEqual([
    expect.stringMatching(
      /unknown template variable \{\{ target \}\}: use \{\{ service \}\}, \{\{ version \}\}, \{\{ window \}\}/,
    ),
  ]);
  expect(promqlProblems('up{job="{{ service "}')).toEqual([
    expect.stringMatching(/"\{\{" or "\}\}" is not a complete template variable/),
  ]);
});

test('unbalanced brackets, braces, parentheses and quotes, with positions', () => {
  expect(promqlProblems('sum(rate(x[5m])')).toEqual(['"(" opened at character 4 is never closed: add ")"']);
  expect(promqlProblems('sum(x))')).toEqual(['")" at character 7 closes nothing: remove it or add its "("']);
  expect(promqlProblems('sum(x{a="b")}')).toEqual([
    '"{" opened at character 6 is closed by ")" at character 12: expected "}"',
  ]);
  expect(promqlProblems('up{job="a}')).toEqual([expect.stringMatching(/unclosed " quote opened at character 8/)]);
});

test('range selectors must hold a PromQL duration', () => {
  expect(promqlProblems('rate(x[5 minutes])')).toEqual([
    expect.stringMatching(/range selector \[5 minutes\] is not a duration/),
  ]);
  expect(promqlProblems('rate(x[])')).toEqual([expect.stringMatching(/range selector \[\] is not a duration/)]);
  expect(promqlProblems('rate(x[1.5h])')).toEqual([expect.stringMatching(/\[1.5h\]/)]);
  expect(promqlProblems('max_over_time(x[1h:abc])')).toEqual([expect.stringMatching(/\[1h:abc\]/)]);
});
