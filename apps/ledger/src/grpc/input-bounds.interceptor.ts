import { Metadata, ServerInterceptingCall, type ServerInterceptor, status } from '@grpc/grpc-js';
import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import { INPUT_LIMITS } from '@ledger/domain/validation';
import { MAX_PARAM_LENGTH } from '../http/hostile-input';
import { boundedDetail, ERROR_CODE_METADATA } from './grpc-status';

/**
 * Request fields that name one thing (a number, an account, a key, a service, an audit, a task):
 * HTTP carries them as path segments, so they get the same bound (`MAX_PARAM_LENGTH`, 414 over HTTP).
 * Lists of such names (`numbers`, `site_ids`) bound each entry the same way.
 */
const IDENTIFIER_FIELDS: ReadonlySet<string> = new Set(['id', 'number', 'accountId', 'parentId', 'keyId', 'serviceId', 'type', 'numbers', 'siteIds']);
/** Fields bounded elsewhere: a task's CSV by the message size and the task upload limit (README "Services, audits and tasks"). */
const UNBOUNDED_FIELDS: ReadonlySet<string> = new Set(['csv']);
/** Longest field path a refusal names. */
const MAX_FIELD_NAME = 120;

/**
 * Why a decoded request cannot be served, or null: a string longer than its bound (identifier
 * fields MAX_PARAM_LENGTH, any other text INPUT_LIMITS.textLength, at any depth, Struct values
 * and keys included). The reason names the field and the limit, never the value.
 */
export function requestFault(request: unknown): string | null {
  if (request !== null && typeof request === 'object' && UNREADABLE in request) return 'the request is not a protobuf message of this method';
  const stack: Array<{ value: unknown; path: string; limit: number }> = [{ value: request, path: '', limit: INPUT_LIMITS.textLength }];
  while (stack.length > 0) {
    const { value, path, limit } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > limit) return `${fieldName(path)} is longer than ${limit} characters`;
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      const top = path === '';
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        if (key.length > MAX_PARAM_LENGTH) return `${fieldName(path) || 'request'} has a key longer than ${MAX_PARAM_LENGTH} characters`;
        if (top && UNBOUNDED_FIELDS.has(key)) continue;
        const childLimit = top ? (IDENTIFIER_FIELDS.has(key) ? MAX_PARAM_LENGTH : INPUT_LIMITS.textLength) : limit;
        stack.push({ value: child, path: top ? key : `${path}.${key}`, limit: childLimit });
      }
    }
  }
  return null;
}

/** Marks a request the protobuf decoder could not read (see `readUnreadableAsMarked`). */
const UNREADABLE = Symbol('unreadable request');

/**
 * Every method of `definition` decodes bytes it cannot read into a marked request instead of
 * throwing: grpc-js answers a throwing decoder with INTERNAL, while bytes that are no message
 * of the method are the caller's fault, refused by `requestFault` as INVALID_ARGUMENT.
 */
export function readUnreadableAsMarked(definition: PackageDefinition): void {
  for (const service of Object.values(definition)) {
    if ('format' in service) continue; // a message or enum type, no service
    for (const method of Object.values(service) as MethodDefinition<unknown, unknown>[]) {
      const decode = method.requestDeserialize;
      method.requestDeserialize = (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch {
          return { [UNREADABLE]: true };
        }
      };
    }
  }
}

function fieldName(path: string): string {
  const dot = path.indexOf('.');
  const first = dot < 0 ? path : path.slice(0, dot);
  // The proto's own (snake_case) name for the request field; nested keys as given.
  const snake = first.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + (dot < 0 ? '' : path.slice(dot));
  return snake.length > MAX_FIELD_NAME ? `${snake.slice(0, MAX_FIELD_NAME)}...` : snake;
}

/**
 * gRPC server interceptor, for every method of the server (ledger services, health, reflection):
 * refuses a request whose strings exceed their bound with INVALID_ARGUMENT (`validation_failed`)
 * before any handler runs, and caps every status detail the server sends at MAX_GRPC_DETAIL_LENGTH.
 */
export const inputBoundsInterceptor: ServerInterceptor = (_method, call) => {
  let refused = false;
  const intercepting: ServerInterceptingCall = new ServerInterceptingCall(call, {
    start: (next) => next({
      onReceiveMessage: (message, messageNext) => {
        if (refused) return;
        const fault = requestFault(message);
        if (!fault) return messageNext(message);
        refused = true;
        const metadata = new Metadata();
        metadata.set(ERROR_CODE_METADATA, 'validation_failed');
        intercepting.sendStatus({ code: status.INVALID_ARGUMENT, details: fault, metadata });
      },
      onReceiveHalfClose: (halfCloseNext) => {
        if (!refused) halfCloseNext();
      },
    }),
    sendStatus: (sent, statusNext) => statusNext({ ...sent, details: boundedDetail(sent.details ?? '') }),
  });
  return intercepting;
};
