/** Exit codes, decided here only, so scripts can branch on them. */
import type { CutoverStatus } from '../domain/cutover-model';

export const EXIT = {
  OK: 0,
  ERROR: 1,
  /** bad input: an invalid plan, an unknown option value, a rejected approval */
  BAD_INPUT: 2,
  ABORTED: 3,
  ROLLED_BACK: 4,
  /** needs a human: the status message says what state the services are in */
  FAILED: 5,
  VALIDATION_WARN: 10,
  VALIDATION_FAIL: 11,
} as const;

export function exitCodeForStatus(status: CutoverStatus | string): number {
  switch (status) {
    case 'SUCCESS':
      return EXIT.OK;
    case 'ABORTED':
      return EXIT.ABORTED;
    case 'ROLLED_BACK':
      return EXIT.ROLLED_BACK;
    case 'FAILED':
      return EXIT.FAILED;
    // a validation's verdict, as `cutover validate` exits
    case 'WARN':
      return EXIT.VALIDATION_WARN;
    case 'FAIL':
      return EXIT.VALIDATION_FAIL;
    default:
      return EXIT.OK;
  }
}

/** An error the CLI reports in one line, with the exit code it implies. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.ERROR,
  ) {
    super(message);
  }
}
