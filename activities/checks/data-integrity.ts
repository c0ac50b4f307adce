/**
 * data_integrity: the data the service actually loaded against what was written (its manifest),
 * as reported by GET /integrity. Any mismatch FAILs: a lost or doubled row silently skews every
 * KPI, and KPI parity alone cannot see it when both versions read the same damaged data.
 */
import { getJsonObject, guarded, serviceUrl, type Check } from './check-util';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export const checkDataIntegrity: Check = guarded(async (loaded, role) => {
  const body = await getJsonObject(serviceUrl(loaded, role, '/integrity'));
  const rows = count(body.rows);
  const expectedRows = count(body.expectedRows);
  const duplicateKeys = count(body.duplicateKeys) ?? 0;
  const missingKeys = count(body.missingKeys) ?? 0;
  const nullFields = count(body.nullFields) ?? 0;
  const checksumMatches = body.checksumMatches === true;
  const metrics = { rows, expectedRows, checksumMatches, checksum: body.checksum, expectedChecksum: body.expectedChecksum, duplicateKeys, missingKeys, nullFields };

  if (rows === undefined || expectedRows === undefined) return { status: 'FAIL', metrics, message: '/integrity does not report rows and expectedRows' };
  const problems: string[] = [];
  if (rows !== expectedRows) problems.push(`${rows} rows loaded, ${expectedRows} expected`);
  if (!checksumMatches) problems.push('checksum differs from the manifest');
  if (duplicateKeys > 0) problems.push(`${duplicateKeys} duplicate keys`);
  if (missingKeys > 0) problems.push(`${missingKeys} missing keys`);
  if (nullFields > 0) problems.push(`${nullFields} null fields`);
  // The service's own verdict too, in case it checks something this list does not name.
  if (!problems.length && body.ok === false) problems.push('the service reports its data not ok');

  if (problems.length) return { status: 'FAIL', metrics, message: problems.join(', ') };
  return { status: 'PASS', metrics, message: `${rows} rows, checksum matches, no duplicate or missing keys, no null fields` };
});
