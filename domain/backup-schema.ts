/**
 * The plan's `backup:` block: files (`paths`, one tar.gz) and databases (`databases`, one dump
 * or artifact each), all listed in one manifest. Pure: the drivers live in activities/backup-*.ts.
 */
import { z } from 'zod';
import { hint } from './duration-field';
import { envName } from './check-schema';

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: hint('use letters, digits, "_" or "-" (no spaces, no dots)') });
const argv = z
  .array(z.string().min(1))
  .min(1, { error: hint('give the program and its arguments as a list, e.g. ["./dump.sh", "{{ artifact }}"]') });
const identifiers = z.array(z.string().min(1)).min(1, { error: hint('list at least one name, or leave the key out') });

const postgresBackup = z.strictObject({
  name: name.describe('names the dump in the manifest and in messages; unique in the plan'),
  driver: z.literal('postgres').describe('pg_dump --format=custom, restored by pg_restore in one transaction'),
  url: z
    .strictObject({
      env: envName.describe("the worker's environment variable holding the connection string (postgres://…)"),
    })
    .describe('where the database is: the connection string comes from the worker, never from the plan'),
  schemas: identifiers.optional().describe('dump only these schemas (pg_dump --schema); default: the whole database'),
  tables: identifiers.optional().describe('dump only these tables (pg_dump --table, e.g. public.orders)'),
});

const commandBackup = z.strictObject({
  name: name.describe('names the artifact in the manifest and in messages; unique in the plan'),
  driver: z.literal('command').describe('your own commands (argv, no shell); {{ artifact }} is the file they use'),
  backup: argv.describe('writes the backup to {{ artifact }}; a non-zero exit fails the backup'),
  verify: argv.optional().describe('run on {{ artifact }} after its sha256 matched; a non-zero exit refuses it'),
  restore: argv.describe('restores from {{ artifact }}, run only after every part of the backup was verified'),
  artifact: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('give a file name such as "orders.sql" (no folders)') })
    .describe("the artifact's file name; each backup gets its own copy in backup.dir ({{ artifact }} is its path)"),
});

export const databaseBackupSchema = z.discriminatedUnion('driver', [postgresBackup, commandBackup], {
  error: (issue) =>
    issue.input === undefined
      ? 'required: give name, driver and the fields of the driver'
      : 'driver must be one of: postgres (name, url: { env }), command (name, backup, restore, artifact)',
});
export type DatabaseBackupSpec = z.infer<typeof databaseBackupSchema>;

export const backupSchema = z
  .strictObject({
    paths: z
      .array(z.string().min(1))
      .default([])
      .describe('data and config files to archive before V1 stops (one tar.gz): what a rollback restores'),
    databases: z
      .array(databaseBackupSchema)
      .default([])
      .describe('databases dumped beside the archive (postgres driver) or backed up by your commands (command)'),
    dir: z.string().default('.data/backups').describe('where the archives, dumps and their manifests are written'),
    retentionDays: z.number().int().positive().default(90).describe("the plan's backups older than this are pruned"),
    host: name
      .optional()
      .describe(
        "the machine holding `paths` and `dir` (backups and restores run there); default: the orchestrator's own",
      ),
  })
  .superRefine((b, ctx) => {
    if (b.paths.length === 0 && b.databases.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['paths'],
        message: 'list the data/config paths to back up before V1 stops, or a database under backup.databases',
      });
    const seen = new Set<string>();
    b.databases.forEach((d, i) => {
      if (seen.has(d.name))
        ctx.addIssue({
          code: 'custom',
          path: ['databases', i, 'name'],
          message: `"${d.name}" is used twice: give each database backup its own name`,
        });
      seen.add(d.name);
    });
  });
