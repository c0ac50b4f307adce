/**
 * Loaded by path by every worker (DataConverter.failureConverterPath, for activity failures) and
 * by every workflow bundle (bundleWorkflowCode's failureConverterPath, for failures raised by
 * workflow code), so it imports nothing but @temporalio/common. The payload codec, when on,
 * encrypts the payload it puts a failure's message and stack trace in.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
