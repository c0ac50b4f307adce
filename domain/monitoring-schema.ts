/** The plan's `monitoring`: the watch after a SUCCESS, its cadence, probes and decision points. */
import { z } from 'zod';
import { duration } from './duration-field';
import { name } from './field-types';

export const monitoringSchema = z
  .strictObject({
    duration: duration('24h').default('24h').describe('how long the monitoring runs after SUCCESS'),
    cadence: z
      .array(
        z.strictObject({
          until: duration('8h').describe('up to this offset from the start …'),
          every: duration('30m').describe('… a full validation this often'),
        }),
      )
      .min(1)
      .default([
        { until: '8h', every: '30m' },
        { until: '24h', every: '2h' },
      ])
      .describe('full validation cadence: [until hour, every] pairs, first match wins'),
    sentinelEvery: duration('1m', { max: '1h' })
      .default('1m')
      .describe('the light probe between validations (a probe loop must rest; an hour without one is not monitoring)'),
    sentinelRequests: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(5)
      .describe('synthetic GETs of sentinelPath per sentinel probe, so an error rate shows even without user traffic'),
    sentinelPath: z
      .string()
      .startsWith('/')
      .optional()
      .describe(
        "where those synthetic requests go (with the default check list /kpis, the demo contract's); none unless set",
      ),
    summaryEvery: duration('4h', { max: '7d' })
      .default('4h')
      .describe('how often the "Hour N checkpoint: all metrics stable" summary is sent'),
    decisionPoints: z
      .array(
        z.strictObject({
          at: duration('1h').describe("offset from the monitoring's start"),
          label: z.string().describe('its name in notifications, status and the report'),
          roles: z.array(name).min(1).describe('the roles whose votes it waits for'),
          timeout: duration('2h', { max: '7d' }).describe('how long it waits while the probes go on'),
          onTimeout: z.enum(['continue', 'rollback']).describe('what happens when nobody decided in time'),
        }),
      )
      .default([
        { at: '1h', label: 'Hour 1 decision point', roles: ['engineering'], timeout: '1h', onTimeout: 'continue' },
        { at: '8h', label: 'Hour 8 decision point', roles: ['engineering'], timeout: '2h', onTimeout: 'continue' },
        {
          at: '24h',
          label: 'Hour 24 final sign-off',
          roles: ['engineering', 'operations', 'dataQuality'],
          timeout: '4h',
          onTimeout: 'continue',
        },
      ])
      .describe('moments the leads vote (NO_GO rolls back) while the probes go on'),
    onRepeatedFail: z
      .enum(['rollback', 'escalate'])
      .default('rollback')
      .describe('what a FAIL seen again after retryFailAfter does'),
    retryFailAfter: duration('2m', { max: '1h' })
      .default('2m')
      .describe('a FAILed validation is run again after this (it may be transient)'),
  })
  .prefault({})
  .describe('the monitoring workflow that runs after SUCCESS');
