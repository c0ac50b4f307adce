/**
 * Notifications: a file sink (one JSON line per message) and a Slack-compatible incoming
 * webhook whose URL is read from the env var the plan names, here in the activity, so the
 * URL never reaches a plan, a log line or workflow history.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { log } from './activity-log';
import type { LoadedPlan } from '../domain/loaded-plan';
import { insideWorkdir } from './plan-paths';
import { httpRequest, type HttpNoAnswer } from '../infra/http-client';

export interface Notification {
  /** a stable key per state change, so a retried activity does not post twice to the file */
  key: string;
  text: string;
  severity?: 'info' | 'warning' | 'critical';
  cutoverId?: string;
}

export async function notify(loaded: LoadedPlan, message: Notification): Promise<{ delivered: string[] }> {
  const { notifications } = loaded.plan;
  const delivered: string[] = [];
  if (notifications.file) {
    const file = insideWorkdir(loaded, notifications.file, 'notifications.file');
    await mkdir(path.dirname(file), { recursive: true });
    // A retried activity (the Slack post failed after the file was written) writes the line once.
    const written = await readFile(file, 'utf8').then(
      (text) => text.includes(`"key":${JSON.stringify(message.key)}`),
      () => false,
    );
    if (!written) await appendFile(file, JSON.stringify({ at: new Date().toISOString(), ...message }) + '\n');
    delivered.push('file');
  }
  if (notifications.slackWebhookEnv) {
    const url = process.env[notifications.slackWebhookEnv];
    if (!url) {
      log.warn(`notification not sent to Slack: env var ${notifications.slackWebhookEnv} is not set on the worker`);
    } else {
      // Said without the URL (it is a credential), so HttpNoAnswer's message is not passed on.
      const answer = await httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: message.text }),
        timeoutMs: 10_000,
      }).catch((err: unknown) => {
        throw new Error(
          `Slack webhook (${notifications.slackWebhookEnv}) did not ` +
            `answer: ${(err as HttpNoAnswer).code ?? 'no answer'}`,
        );
      });
      if (answer.status < 200 || answer.status > 299)
        throw new Error(`Slack webhook (${notifications.slackWebhookEnv}) answered ${answer.status}`);
      delivered.push('slack');
    }
  }
  log.info(`notify: ${message.text}`, { key: message.key, delivered });
  return { delivered };
}
