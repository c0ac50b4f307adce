/**
 * Which build this worker is: `<package version>-<12 hex of a sha256 over the worker's sources and
 * package.json>`, in the worker deployment named after the package. The orchestrator and its host
 * agents on other machines must compute the same id from the same release without talking to each
 * other (a pinned run's host steps go to the host agent of its own build), so the id comes from the
 * files both have, not from the workflow bundle (host agents build none) nor `git describe` (images
 * have no .git, and a dirty tree would keep an old id). CUTOVER_BUILD_ID / CUTOVER_DEPLOYMENT_NAME
 * override both; CUTOVER_WORKER_VERSIONING=0 runs an unversioned worker (a server without Worker
 * Versioning).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { packageRoot, packageVersion } from './build-info';

// the package root: above worker/ in a checkout, above dist/worker/ in an installed package
const ROOT = packageRoot();
/** What a worker runs: changing any of it makes a new build. */
const SOURCES = ['activities', 'domain', 'infra', 'workflows', 'worker'];
/** The code's own root: the checkout, or dist/ of an installed package. */
const CODE = path.resolve(__dirname, '..');

export class DeploymentConfigError extends Error {}

function files(entry: string): string[] {
  const full = path.join(CODE, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(entry, f));
}

export function sourceHash(): string {
  const hash = crypto.createHash('sha256');
  for (const file of SOURCES.flatMap(files).sort())
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(CODE, file)))
      .update('\0');
  hash.update(fs.readFileSync(path.join(ROOT, 'package.json')));
  return hash.digest('hex').slice(0, 12);
}

/** The deployment version this worker joins, or undefined for an unversioned worker. */
export function workerVersion(env: NodeJS.ProcessEnv = process.env): WorkerDeploymentVersion | undefined {
  const switchValue = env.CUTOVER_WORKER_VERSIONING?.trim();
  if (switchValue === '0') return undefined;
  if (switchValue && switchValue !== '1')
    throw new DeploymentConfigError(
      `CUTOVER_WORKER_VERSIONING="${switchValue}": expected 1 ` + `(default) or 0 (unversioned worker)`,
    );
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const deploymentName = env.CUTOVER_DEPLOYMENT_NAME?.trim() || pkg.name;
  const buildId = env.CUTOVER_BUILD_ID?.trim() || `${pkg.version}-${sourceHash()}`;
  // The server writes a version as "<name>.<build id>" and rejects what it cannot split back.
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(deploymentName))
    throw new DeploymentConfigError(
      `CUTOVER_DEPLOYMENT_NAME="${deploymentName}": use letters, ` + `digits, "_" and "-" (no "." nor ":")`,
    );
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(buildId) || buildId === '__unversioned__')
    throw new DeploymentConfigError(`CUTOVER_BUILD_ID="${buildId}": use letters, digits, ".", "_" and "-"`);
  return { deploymentName, buildId };
}

/** `cutover --version`: the package version and the build id its workers join their deployment with. */
export function versionLine(env: NodeJS.ProcessEnv = process.env): string {
  const version = workerVersion(env);
  return (
    `cutover ${packageVersion()} (build ` +
    (version ? `${version.deploymentName}:${version.buildId}` : 'unversioned') +
    `)`
  );
}
