/**
 * What every HTTP operation answers, in one place: its summary, its success
 * response(s) and the SPEC error codes it can answer. `completeOpenApi` merges
 * this into the document Nest generates from the controllers; a route with no
 * entry here is caught by test/e2e/openapi-contract.e2e.spec.ts.
 *
 * Codes every route may answer are added by `completeOpenApi` and not repeated
 * here: `unauthenticated` (routes with a key), `validation_failed` and
 * `payload_too_large` (routes with a body), `idempotency_key_reused` (POST),
 * `unavailable` (a store or the read models are not there).
 */
import { ERROR_STATUS, type ErrorCode } from '@ledger/domain/errors';

/** The service's own problem codes beside the domain's (SPEC 10: `ERROR_STATUS`). */
const SERVICE_STATUS = {
  unauthenticated: 401,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  account_exists: 409,
  unavailable: 503,
} as const;

export type ProblemCode = ErrorCode | keyof typeof SERVICE_STATUS;

/** HTTP status of each problem code (SPEC 10 plus the service's own codes). */
export const PROBLEM_STATUS: Record<ProblemCode, number> = { ...ERROR_STATUS, ...SERVICE_STATUS };

/** A success answer: a schema of components.schemas in JSON, or a text body (CSV, Prometheus text), or none. */
export interface SuccessAnswer {
  description: string;
  schema?: string;
  text?: 'text/csv' | 'text/plain';
  example?: unknown;
}

export interface OperationContract {
  summary: string;
  description?: string;
  /** Status -> answer. */
  ok: Record<number, SuccessAnswer>;
  errors: ProblemCode[];
  /** No key needed. */
  public?: boolean;
  /** The command writes events: the answer carries X-Ledger-Position. */
  command?: boolean;
  /** A request-body example that succeeds on a fresh service after the ones before it (README order). */
  requestExample?: unknown;
  /** The body is CSV, not JSON. */
  csvBody?: boolean;
  /** Query parameters the controller reads by name: their description and whether they are required. */
  query?: Record<string, QueryParameter>;
}

export interface QueryParameter {
  description: string;
  required?: boolean;
  pattern?: string;
}

const NUMBER_COMMAND: ProblemCode[] = ['not_found', 'not_reconcilable', 'unauthorized', 'invalid_state_transition', 'number_is_porting', 'concurrency_conflict'];
const ACCOUNT_READ: ProblemCode[] = ['not_found', 'unauthorized'];
const number = (description: string): Record<number, SuccessAnswer> => ({ 200: { description, schema: 'Number' } });
/** Reserve and acquire of a number found upstream: the carrier's order may still be pending when the answer is due. */
const ordered = (description: string): Record<number, SuccessAnswer> => ({
  ...number(description),
  202: {
    description: 'Ordered from the carrier, not yet confirmed: the number stays in `discovery` with `pendingOrder`; the sweeper records the carrier\'s answer (docs/carriers.md).',
    schema: 'Number',
  },
});
const WHOLE = '^\\d{1,15}$';

export const OPERATIONS: Record<string, OperationContract> = {
  'GET /health': { summary: 'Liveness', description: 'The process answers.', ok: { 200: { description: 'Alive.', schema: 'Health' } }, errors: [], public: true },
  'GET /ready': {
    summary: 'Readiness',
    description: 'Both stores answer, the projector is not failing and not far behind; 503 `unavailable` otherwise.',
    ok: { 200: { description: 'Ready.', schema: 'Ready' } }, errors: [], public: true,
  },
  'GET /metrics': { summary: 'Prometheus metrics', ok: { 200: { description: 'Prometheus text exposition format.', text: 'text/plain' } }, errors: [], public: true },

  'POST /v1/accounts': {
    summary: 'Create an account',
    description: 'Under `parentId` (default: the caller\'s account). An account may not give rights it does not have; only the system creates super admins.',
    ok: { 201: { description: 'The account created.', schema: 'Account' } },
    errors: ['assign_failure', 'unauthorized', 'account_exists'],
    command: true,
    requestExample: { id: 'acme', name: 'Acme', reseller: true },
  },
  'GET /v1/accounts/{id}': { summary: 'Get an account', ok: { 200: { description: 'The account.', schema: 'Account' } }, errors: ACCOUNT_READ },
  'POST /v1/accounts/{id}/keys': {
    summary: 'Issue an API key',
    description: 'The key is in this answer only (never stored in clear, never replayed for an Idempotency-Key).',
    ok: { 201: { description: 'The new key.', schema: 'IssuedKey' } },
    errors: ACCOUNT_READ,
    command: true,
  },
  'GET /v1/accounts/{id}/keys': {
    summary: 'List an account\'s API keys',
    description: 'The keys not revoked, oldest first: id, name and when issued; never a key or its hash.',
    ok: { 200: { description: 'The account\'s keys.', schema: 'KeyList' } },
    errors: ACCOUNT_READ,
  },
  'DELETE /v1/accounts/{id}/keys/{keyId}': {
    summary: 'Revoke an API key',
    description: 'Refused by every instance from this answer on; 404 `not_found` when the account has no such key (or it is revoked already).',
    ok: { 204: { description: 'Revoked.' } },
    errors: ACCOUNT_READ,
    command: true,
  },
  'GET /v1/accounts/{id}/numbers': {
    summary: 'Numbers an account holds',
    ok: { 200: { description: 'A page of the account\'s numbers.', schema: 'NumberPage' } },
    errors: ACCOUNT_READ,
  },

  'GET /v1/config/number-manager': {
    summary: 'Number-manager configuration', description: 'System key only.',
    ok: { 200: { description: 'The configuration.', schema: 'NumberManagerConfig' } }, errors: ['unauthorized'],
  },
  'PUT /v1/config/number-manager': {
    summary: 'Change the number-manager configuration',
    description: 'System key only. Fields left out keep their value; the change is an event on `config-number-manager`.',
    ok: { 200: { description: 'The configuration now.', schema: 'NumberManagerConfig' } },
    errors: ['unauthorized', 'concurrency_conflict'],
    command: true,
    requestExample: { shouldAge: true, agingPeriodDays: 90 },
  },
  'GET /v1/config/carriers': {
    summary: 'System carrier settings', description: 'System key only; credentials redacted.',
    ok: { 200: { description: 'Enabled upstream modules and their system settings.', schema: 'SystemCarriers' } }, errors: ['unauthorized'],
  },
  'DELETE /v1/config/carriers/credentials': {
    summary: 'Shred the system\'s carrier credentials',
    description: 'System key only. Destroys the data keys of the system scope (crypto-shredding): every stored credential of the system becomes unreadable, in the event log too; other settings stay (docs/secrets.md).',
    ok: { 204: { description: 'Shredded.' } },
    errors: ['unauthorized'],
    command: true,
  },
  'GET /v1/config/carriers/{module}': {
    summary: 'System settings of a carrier module',
    ok: { 200: { description: 'The module\'s settings.', schema: 'CarrierModuleSettings' } }, errors: ['unauthorized', 'validation_failed'],
  },
  'PUT /v1/config/carriers/{module}': {
    summary: 'Configure a carrier module for the system',
    ok: { 200: { description: 'The module\'s settings now.', schema: 'CarrierModuleSettings' } },
    errors: ['unauthorized'], command: true,
  },
  'GET /v1/accounts/{id}/carriers': {
    summary: 'Carrier modules an account uses',
    ok: { 200: { description: 'Enabled modules and the merged settings.', schema: 'ResellerCarriers' } }, errors: ACCOUNT_READ,
  },
  'PUT /v1/accounts/{id}/carriers': {
    summary: 'Choose a reseller\'s carrier modules',
    ok: { 200: { description: 'The reseller\'s modules.', schema: 'EnabledModules' } },
    errors: ACCOUNT_READ, command: true,
  },
  'DELETE /v1/accounts/{id}/carriers/credentials': {
    summary: 'Shred a reseller\'s carrier credentials',
    description: 'The reseller or an account above it. Destroys the data keys of the reseller\'s scope (crypto-shredding): its stored credentials become unreadable, in the event log too; 400 `validation_failed` when the account is not a reseller (docs/secrets.md).',
    ok: { 204: { description: 'Shredded.' } },
    errors: [...ACCOUNT_READ, 'validation_failed'],
    command: true,
  },
  'GET /v1/accounts/{id}/carriers/{module}': {
    summary: 'A reseller\'s settings of a carrier module',
    ok: { 200: { description: 'The module\'s settings in the reseller\'s scope.', schema: 'CarrierModuleSettings' } },
    errors: [...ACCOUNT_READ, 'validation_failed'],
  },
  'PUT /v1/accounts/{id}/carriers/{module}': {
    summary: 'Configure a carrier module for a reseller',
    description: 'Overrides the system\'s settings field by field; the reseller\'s credentials replace the system\'s.',
    ok: { 200: { description: 'The module\'s settings now.', schema: 'CarrierModuleSettings' } },
    errors: ACCOUNT_READ, command: true,
  },

  'GET /v1/numbers/search': {
    summary: 'Search numbers to take',
    description: 'Free inventory, the account\'s managed pool, numbers reserved along its path and, with carriers enabled, numbers found upstream (`discovery`). A slow carrier degrades the answer (`carriers`), it does not fail it.',
    ok: { 200: { description: 'A page of numbers the account may reserve or acquire.', schema: 'SearchResult' } },
    errors: ['assign_failure', 'unauthorized'],
  },
  'POST /v1/numbers/generate': {
    summary: 'Generate managed or inum numbers',
    description: 'COUNT consecutive numbers from START, `available`; managed ones in the account\'s pool.',
    ok: { 201: { description: 'The numbers created.', schema: 'GeneratedNumbers' } },
    errors: ['assign_failure', 'unauthorized', 'not_reconcilable', 'number_exists'],
    command: true,
  },
  'POST /v1/numbers/collection/{action}': {
    summary: 'Reserve, acquire, release or delete many numbers',
    ok: { 200: { description: 'Per number, its new state or its problem (200 even when some fail).', schema: 'CollectionResult' } },
    errors: ['assign_failure', 'unauthorized'],
    command: true,
  },
  'GET /v1/numbers': {
    summary: 'List numbers',
    description: 'The caller\'s subtree (everything for admins), ordered by number, paged with `cursor`.',
    ok: { 200: { description: 'A page of numbers.', schema: 'NumberPage' } },
    errors: [],
  },
  'POST /v1/numbers': {
    summary: 'Add a number',
    description: 'National numbers are normalized to E.164 (`4155550100` is `+14155550100`).',
    ok: { 201: { description: 'The number added.', schema: 'Number' } },
    errors: ['not_reconcilable', 'number_exists', 'unauthorized', 'assign_failure', 'service_restriction', 'concurrency_conflict'],
    command: true,
    requestExample: { number: '4155550100', state: 'available', carrierModule: 'knm_inventory' },
  },
  'POST /v1/mdn-numbers': {
    summary: 'Add a knm_mdn number', description: 'System key only.',
    ok: { 201: { description: 'The number added, in service.', schema: 'Number' } },
    errors: ['not_reconcilable', 'number_exists', 'unauthorized', 'assign_failure', 'concurrency_conflict'],
    command: true,
  },
  'POST /v1/numbers/{number}/reserve': {
    summary: 'Reserve a number',
    description: 'A discovered number is ordered upstream first; 202 while the carrier\'s order is pending.',
    ok: ordered('The number, reserved.'),
    errors: [...NUMBER_COMMAND, 'no_change_required', 'assign_failure', 'service_restriction', 'carrier_fault'],
    command: true,
    requestExample: { accountId: 'acme' },
  },
  'POST /v1/numbers/{number}/acquire': {
    summary: 'Acquire a number',
    description: 'Puts the number in service for the account; a discovered number is ordered upstream first (202 while the carrier\'s order is pending).',
    ok: ordered('The number, in service.'),
    errors: [...NUMBER_COMMAND, 'assign_failure', 'service_restriction', 'carrier_fault'],
    command: true,
    requestExample: { accountId: 'acme' },
  },
  'POST /v1/numbers/{number}/port-in': {
    summary: 'Start porting a number in',
    ok: number('The number, in port_in.'),
    errors: [...NUMBER_COMMAND, 'number_exists', 'assign_failure', 'service_restriction'],
    command: true,
  },
  'POST /v1/numbers/{number}/release': {
    summary: 'Release a number',
    description: 'To the configured released state (aging first when the configuration says so); upstream numbers are disconnected.',
    ok: number('The number, released.'),
    errors: [...NUMBER_COMMAND, 'carrier_fault'],
    command: true,
  },
  'POST /v1/numbers/{number}/age': {
    summary: 'Age a released number',
    ok: number('The number, aging.'),
    errors: NUMBER_COMMAND,
    command: true,
  },
  'DELETE /v1/numbers/{number}': {
    summary: 'Delete a number',
    description: 'The number goes to `deleted`; its history stays.',
    ok: number('The number, deleted.'),
    errors: [...NUMBER_COMMAND, 'carrier_fault'],
    command: true,
  },
  'GET /v1/numbers/{number}': {
    summary: 'Get a number',
    description: 'With `asOf`, the number as it was at that instant, replayed from its history.',
    ok: number('The number.'),
    errors: ['not_found', 'not_reconcilable', 'unauthorized'],
  },
  'PATCH /v1/numbers/{number}/features': {
    summary: 'Set a number\'s features',
    description: 'Features given are set, `null` removes one; Telnyx numbers get e911 and cnam applied upstream.',
    ok: number('The number with its features.'),
    errors: [...NUMBER_COMMAND, 'carrier_fault'],
    command: true,
  },
  'GET /v1/numbers/{number}/history': {
    summary: 'History of a number',
    description: 'Every event of the number, oldest first, a page at a time (`limit`, then `cursor` = the previous `nextCursor`): admins see all; a holder sees the events from when the number came into its subtree. With `proofs=<treeSize>` each event carries its leaf index and inclusion proof in the log tree of that size, and the page carries `log` (that tree\'s root and its kept checkpoint; docs/verifiable-history.md).',
    ok: { 200: { description: 'A page of events (with `log` when proofs are asked).', schema: 'NumberHistory' } },
    errors: ['not_found', 'not_reconcilable', 'unauthorized', 'validation_failed'],
  },

  'POST /v1/tasks': {
    summary: 'Submit a bulk CSV task',
    description: 'A `text/csv` body (header line first, column `e164` mandatory) for import, assign_to, reserve, release and delete; no body for list and dump; a CSV above the task upload limit answers 413 `payload_too_large`. The task runs in the background: poll `GET /v1/tasks/{id}`.',
    ok: { 202: { description: 'The task, queued (`Location` names it).', schema: 'TaskSubmitted' } },
    errors: ['unauthorized', 'payload_too_large'],
    command: true,
    csvBody: true,
  },
  'GET /v1/tasks/{id}': {
    summary: 'Get a task', description: '`pending`, `executing`, then `success`, `partial` or `failure`.',
    ok: { 200: { description: 'The task and its counts.', schema: 'Task' } }, errors: ['not_found', 'unauthorized'],
  },
  'GET /v1/tasks/{id}/output': {
    summary: 'A task\'s output CSV',
    description: 'The input rows plus `result` and `error` (list and dump: the inventory), as far as the task has got.',
    ok: { 200: { description: 'CSV, header line first.', text: 'text/csv', example: 'e164,result,error\n+14155550111,success,\n' } },
    errors: ['not_found', 'unauthorized'],
  },

  'PUT /v1/accounts/{id}/services/{type}/{serviceId}': {
    summary: 'Register a service and the numbers it uses',
    description: 'Registers or replaces the service; the numbers\' `usedBy` follows.',
    ok: { 200: { description: 'The service.', schema: 'Service' } },
    errors: [...ACCOUNT_READ, 'not_reconcilable', 'concurrency_conflict'],
    command: true,
  },
  'DELETE /v1/accounts/{id}/services/{type}/{serviceId}': {
    summary: 'Remove a service',
    ok: { 204: { description: 'Removed.' } },
    errors: [...ACCOUNT_READ, 'validation_failed', 'concurrency_conflict'],
    command: true,
  },
  'GET /v1/accounts/{id}/services': {
    summary: 'List an account\'s services',
    ok: { 200: { description: 'A page of services.', schema: 'ServicePage' } },
    errors: ACCOUNT_READ,
  },
  'POST /v1/audits': {
    summary: 'Audit an account\'s inventory',
    description: 'Compares the registry\'s usage with the inventory (SPEC 7). Small audits answer 201 with the report; larger ones run in the background and answer 202: poll `GET /v1/audits/{id}`.',
    ok: {
      201: { description: 'The audit, completed, with its report.', schema: 'Audit' },
      202: { description: 'The audit, running in the background.', schema: 'Audit' },
    },
    errors: ['not_found', 'unauthorized', 'invalid_state_transition'],
    command: true,
  },
  'GET /v1/audits/{id}': {
    summary: 'Get an audit and its report',
    ok: { 200: { description: 'The audit.', schema: 'Audit' } },
    errors: ['not_found', 'unauthorized'],
  },
  'POST /v1/carrier-reconciliations': {
    summary: 'Reconcile carrier accounts with the ledger',
    description: 'What each carrier lists on the account against the ledger (docs/carriers.md): `{}` (system key) every enabled integration module with system settings; `accountId` a reseller\'s own carrier accounts (the reseller or an account above it). Report only unless `fix` lists fixes. 201 with the reports once done; with `background: true`, 202 at once with the runs `running` and their progress: poll `GET /v1/carrier-reconciliations/{id}`.',
    ok: {
      201: { description: 'The runs, done: one report per carrier account (a run the carrier failed is `failed`).', schema: 'CarrierReconciliationRuns' },
      202: { description: 'The runs, running in the background.', schema: 'CarrierReconciliationRuns' },
    },
    errors: ['not_found', 'unauthorized', 'validation_failed'],
    command: true,
  },
  'GET /v1/carrier-reconciliations': {
    summary: 'List carrier reconciliations',
    description: 'The newest runs the caller may read (the system: all; others: the resellers they act for), in flight first; without their findings.',
    ok: { 200: { description: 'The runs.', schema: 'CarrierReconciliationRuns' } },
    errors: [],
  },
  'GET /v1/carrier-reconciliations/{id}': {
    summary: 'Get a carrier reconciliation',
    description: 'Progress while running (kept by the instance running it), the report with its findings and fixes when done, the fault when the carrier failed.',
    ok: { 200: { description: 'The run.', schema: 'CarrierReconciliation' } },
    errors: ['not_found'],
  },

  'GET /v1/log/checkpoint': {
    summary: 'The latest signed checkpoint',
    description: 'A C2SP tlog-checkpoint in a signed note (origin, tree size, root hash, signature lines); the first one is signed for whoever asks first. Witnesses fetch it regularly (docs/verifiable-history.md).',
    ok: {
      200: {
        description: 'The signed note.', text: 'text/plain',
        example: 'ledger.example.com/numbers-ledger\n1043\n3Fs2ZQ0c0HkE1zXq8uQq9n8mJm2x1nJvYp3rQvD0z5k=\n\n\u2014 ledger.example.com/numbers-ledger Az3gq1b0...\n',
      },
    },
    errors: [],
  },
  'GET /v1/log/checkpoints': {
    summary: 'Kept checkpoints',
    description: 'Largest tree first; page down with `atMost` (the smallest `treeSize` seen minus one).',
    ok: { 200: { description: 'The checkpoints.', schema: 'LogCheckpointList' } },
    errors: ['validation_failed'],
    query: {
      limit: { description: 'At most this many (1 to 1000). Default: 100.', pattern: WHOLE },
      atMost: { description: 'Only checkpoints of at most this tree size.', pattern: WHOLE },
    },
  },
  'POST /v1/log/checkpoints': {
    summary: 'Sign a checkpoint now',
    description: 'Admins only. Signs the current tree head (only when it extends the last kept checkpoint; 503 `unavailable` otherwise).',
    ok: { 201: { description: 'The checkpoint signed.', schema: 'LogCheckpoint' } },
    errors: ['unauthorized'],
  },
  'GET /v1/log/public-key': {
    summary: 'The key that verifies checkpoints',
    description: 'No key needed: the C2SP verifier key and the same Ed25519 key as PEM SubjectPublicKeyInfo. Keep it out of band and pin it.',
    ok: { 200: { description: 'The public key.', schema: 'LogPublicKey' } },
    errors: [],
    public: true,
  },
  'GET /v1/log/proofs/inclusion': {
    summary: 'Inclusion proof of an event',
    description: 'Admins only (others get proofs with the events they may read: `GET /v1/numbers/{number}/history?proofs=`). The RFC 6962 PATH of the event at `position` in the tree of `treeSize` leaves.',
    ok: { 200: { description: 'The proof.', schema: 'InclusionProof' } },
    errors: ['not_found', 'unauthorized', 'validation_failed'],
    query: {
      position: { description: 'Log position of the event, `<major>:<minor>`.', required: true, pattern: '^\\d{1,20}:\\d{1,20}$' },
      treeSize: { description: 'Size of the tree (at least 1, at most the tree\'s size).', required: true, pattern: WHOLE },
    },
  },
  'GET /v1/log/proofs/consistency': {
    summary: 'Consistency proof between two tree sizes',
    description: 'The RFC 6962 PROOF that the tree of `from` leaves is a prefix of the tree of `to` leaves; hashes only.',
    ok: { 200: { description: 'The proof.', schema: 'ConsistencyProof' } },
    errors: ['validation_failed'],
    query: {
      from: { description: 'The smaller tree size (at least 1).', required: true, pattern: WHOLE },
      to: { description: 'The larger tree size (at most the tree\'s size).', required: true, pattern: WHOLE },
    },
  },

  'GET /v1/accounts/{id}/quantities': {
    summary: 'Billing quantities',
    description: 'Now, or as of an instant (`asOf`); `cascade` adds the accounts below.',
    ok: { 200: { description: 'Counts per classification, feature and carrier module.', schema: 'Quantities' } },
    errors: ACCOUNT_READ,
  },
  'GET /v1/accounts/{id}/number-days': {
    summary: 'Billing number-days over a period',
    ok: { 200: { description: 'Number-days per classification, feature and carrier module.', schema: 'NumberDays' } },
    errors: ACCOUNT_READ,
  },
  'GET /v1/accounts/{id}/quantities.csv': {
    summary: 'Billing quantities as CSV',
    ok: { 200: { description: 'One line per quantity.', text: 'text/csv', example: 'account_id,as_of,category,item,quantity\nacme,2026-01-01T00:00:00.000Z,number_carriers,knm_inventory,1\n' } },
    errors: ACCOUNT_READ,
  },
};
