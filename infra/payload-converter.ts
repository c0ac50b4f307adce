/**
 * The payload converter of every cutover worker, loaded by path (DataConverter.payloadConverterPath
 * and bundleWorkflowCode's payloadConverterPath): inside the workflow sandbox, and in the worker
 * for activities. It is the SDK's default converter except for what it cannot read.
 *
 * The SDK decodes a workflow's start input and its signal, update and query arguments in the
 * sandbox, inside the workflow task: a payload whose encoding no converter knows (`temporal
 * workflow signal --input-meta encoding=foo/bar`), bytes that do not parse, or a payload the
 * codec could not decrypt (infra/payload-codec.ts marks those) would throw there and fail every
 * later workflow task of that run. Those — what anyone outside sends to this workflow — become an
 * Undecodable value (domain/undecodable.ts) that the entry checks and handlers refuse.
 *
 * What our own code produced — activity results and failures, child workflow results — still
 * throws: it can only be unreadable because this worker lacks what wrote it (a codec key), and a
 * failed workflow task is retried, so the run resumes where it stood once the worker is fixed,
 * instead of taking a decision on a value that is not the result.
 */
import {
  DefaultPayloadConverter,
  METADATA_ENCODING_KEY,
  PayloadConverterError,
  str,
  type Payload,
  type PayloadConverter,
  type SerializationContext,
} from '@temporalio/common';
import { inWorkflowContext, workflowInfo } from '@temporalio/workflow';
import {
  ENCRYPTED_ENCODING,
  UNDECODABLE_ENCODING,
  UNDECODABLE_REASON_METADATA,
  undecodable,
} from '../domain/undecodable';

/** Sent to this very workflow: its input, a signal, an update or a query (not a result it awaits). */
function sentToThisWorkflow(context: SerializationContext | undefined): boolean {
  return context?.type === 'workflow' && inWorkflowContext() && context.workflowId === workflowInfo().workflowId;
}

class TolerantPayloadConverter implements PayloadConverter {
  private readonly inner = new DefaultPayloadConverter();

  toPayload<T>(value: T, context?: SerializationContext): Payload {
    return this.inner.toPayload(value, context);
  }

  fromPayload<T>(payload: Payload, context?: SerializationContext): T {
    let reason = this.unknown(payload);
    if (reason === undefined) {
      try {
        return this.inner.fromPayload(payload, context);
      } catch (err) {
        reason = `encoding ${this.encoding(payload)}: ${String((err as Error)?.message ?? err).slice(0, 200)}`;
      }
    }
    if (sentToThisWorkflow(context)) return undecodable(reason) as T;
    throw new PayloadConverterError(
      `${context?.type === 'activity' ? 'an activity result' : 'a result'} ` + `could not be decoded: ${reason}`,
    );
  }

  private encoding(payload: Payload): string | undefined {
    const raw = payload.metadata?.[METADATA_ENCODING_KEY];
    return raw ? str(raw) : undefined;
  }

  /** Why no converter can read this payload, from its metadata; undefined: the default converter may. */
  private unknown(payload: Payload): string | undefined {
    const encoding = this.encoding(payload);
    if (encoding === undefined) return 'no encoding in its metadata';
    if (encoding === UNDECODABLE_ENCODING) {
      const why = payload.metadata?.[UNDECODABLE_REASON_METADATA];
      return why ? str(why) : 'the codec could not decode it';
    }
    if (encoding === ENCRYPTED_ENCODING)
      return `encoding ${encoding}: this worker has no codec keys ` + `(CUTOVER_CODEC_KEYS or CUTOVER_CODEC_KEY_FILE)`;
    if (!this.inner.converterByEncoding.has(encoding)) return `encoding ${encoding.slice(0, 100)}`;
    return undefined;
  }
}

export const payloadConverter: PayloadConverter = new TolerantPayloadConverter();
