/** Field types several parts of the plan share, each with the hint its error gives. */
import { z } from 'zod';
import { hint } from './duration-field';

/** What names a plan, service, host, role or person: it goes into workflow ids, file names and labels. */
export const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: hint('use letters, digits, ".", "_" or "-" (no spaces)') });
