/**
 * Loaded by path (DataConverter.failureConverterPath) when the payload codec is on: by the
 * worker for activity failures and, when the worker bundles workflows itself, inside the
 * workflow sandbox too, so it imports nothing but @temporalio/common.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
