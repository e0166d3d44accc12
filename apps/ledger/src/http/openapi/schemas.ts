import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CARRIER_MODULES, FEATURES, NUMBER_STATES, SERVICE_TYPES } from '@ledger/domain/types';
import { TASK_ACTIONS } from '@ledger/domain/task';
import { FINDING_KINDS, FIXES } from '../../carriers/reconciliation/reconcile-carrier';

/**
 * The response bodies of the HTTP API, as OpenAPI 3.0 schemas (components.schemas).
 * They describe what the handlers return today; new fields may be added, so no
 * schema forbids additional properties.
 */
const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
const nullableString = (description?: string, format?: string): SchemaObject => ({ type: 'string', nullable: true, ...(format ? { format } : {}), ...(description ? { description } : {}) });
const dateTime = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const counts = (description: string): SchemaObject => ({ type: 'object', description, additionalProperties: { type: 'number' } });
const pageOf = (item: string, description: string): SchemaObject => ({
  type: 'object',
  description,
  required: ['data', 'nextCursor'],
  properties: {
    data: { type: 'array', items: ref(item) },
    nextCursor: nullableString('Pass as `cursor` to get the next page; null on the last page.'),
  },
});

const base64List = (description: string): SchemaObject => ({ type: 'array', description, items: { type: 'string', format: 'byte' } });
const logCheckpoint: SchemaObject = {
  type: 'object',
  description: 'A signed checkpoint of the log tree (C2SP tlog-checkpoint).',
  required: ['treeSize', 'rootHash', 'origin', 'signedAt', 'note'],
  properties: {
    treeSize: { type: 'integer', example: 1043 },
    rootHash: { type: 'string', format: 'byte', description: 'Base64 of the 32-byte root.' },
    origin: { type: 'string', example: 'ledger.example.com/numbers-ledger' },
    signedAt: dateTime(),
    note: { type: 'string', description: 'The signed note, as `GET /v1/log/checkpoint` serves it.' },
  },
};

const usageRef: SchemaObject = {
  type: 'object',
  required: ['type', 'id', 'accountId'],
  properties: { type: { type: 'string', enum: [...SERVICE_TYPES] }, id: { type: 'string' }, accountId: { type: 'string' } },
};

export const SCHEMAS: Record<string, SchemaObject> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; `code` is the SPEC error code. Some problems add fields (`field`, `number`, `from`, `to`, `input`, ...).',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', format: 'uri', example: 'https://numbers-ledger.dev/problems/invalid_state_transition' },
      title: { type: 'string', example: 'Invalid state transition' },
      status: { type: 'integer', example: 409 },
      code: { type: 'string', example: 'invalid_state_transition', description: 'SPEC error code (docs/behaviour.md, "Errors").' },
      detail: { type: 'string', example: 'cannot move +14155550100 from available to released' },
      field: { type: 'string', description: 'The input field at fault (validation_failed).' },
      errors: {
        type: 'array',
        description: 'validation_failed: one entry per failed constraint.',
        items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  },
  UsageRef: usageRef,
  NumberFlags: {
    type: 'object',
    description: 'Read-only flags implied by the carrier module (SPEC 4).',
    required: ['local', 'billable', 'callAuthorization', 'interAccountRouting', 'chargedFeaturesDenied'],
    properties: {
      local: { type: 'boolean' }, billable: { type: 'boolean' }, callAuthorization: { type: 'boolean' },
      interAccountRouting: { type: 'boolean' }, chargedFeaturesDenied: { type: 'boolean' },
    },
  },
  Number: {
    type: 'object',
    description: 'A number as the caller may see it (prevAssignedTo and reserveHistory only inside the caller\'s view).',
    required: ['number', 'state', 'carrierModule', 'assignedTo', 'features', 'classification', 'version'],
    properties: {
      number: { type: 'string', example: '+14155550100', description: 'E.164.' },
      state: { type: 'string', enum: [...NUMBER_STATES] },
      carrierModule: { type: 'string', enum: [...CARRIER_MODULES] },
      assignedTo: nullableString('Account holding the number.'),
      prevAssignedTo: nullableString(),
      reserveHistory: { type: 'array', items: { type: 'string' }, description: 'Accounts it was reserved for, newest first.' },
      usedBy: { type: 'array', items: ref('UsageRef') },
      features: {
        type: 'object',
        required: ['active', 'available'],
        properties: {
          active: { type: 'object', additionalProperties: true, description: 'Active features and their settings, e.g. `{"cnam": {"inbound": true}}`.' },
          available: { type: 'array', items: { type: 'string', enum: [...FEATURES] }, description: 'Features the number may have.' },
        },
      },
      classification: { type: 'string', example: 'did_us' },
      local: { type: 'boolean' },
      flags: ref('NumberFlags'),
      agingUntil: nullableString(undefined, 'date-time'),
      reservationExpiresAt: nullableString(undefined, 'date-time'),
      version: { type: 'integer', description: 'Events applied to the number.' },
      createdAt: dateTime(),
      updatedAt: dateTime(),
      upstream: { type: 'object', additionalProperties: true, description: 'Search results found at a carrier: its module, costs and region.' },
      pendingOrder: {
        type: 'object',
        nullable: true,
        description: 'An order placed at the carrier and not yet confirmed (the answer was 202; docs/carriers.md); null otherwise.',
        required: ['module', 'orderId', 'since', 'accountId', 'becomes'],
        properties: {
          module: { type: 'string' }, orderId: { type: 'string' }, since: dateTime(), accountId: { type: 'string' },
          becomes: { type: 'string', enum: ['reserved', 'in_service'], description: 'The state the confirmation records.' },
        },
      },
    },
  },
  NumberPage: pageOf('Number', 'One page of numbers, ordered by number.'),
  SearchResult: {
    type: 'object',
    required: ['data', 'nextOffset'],
    properties: {
      data: { type: 'array', items: ref('Number') },
      nextOffset: { type: 'integer', nullable: true, description: 'Pass as `offset` for the next page; null on the last page.' },
      carriers: {
        type: 'array',
        description: 'One entry per enabled carrier module (absent when none is enabled).',
        items: {
          type: 'object',
          required: ['module', 'status'],
          properties: { module: { type: 'string' }, status: { type: 'string', enum: ['ok', 'timeout', 'failed'] }, error: { type: 'string' } },
        },
      },
    },
  },
  NumberEvent: {
    type: 'object',
    description: 'One event of the number\'s stream.',
    required: ['position', 'revision', 'id', 'type', 'data', 'recordedAt'],
    properties: {
      position: { type: 'string', example: '771:5', description: 'Log position.' },
      revision: { type: 'integer', description: 'Revision in the number\'s stream (0 first).' },
      id: { type: 'string' },
      type: { type: 'string', example: 'NumberAcquired.v1' },
      data: { type: 'object', additionalProperties: true },
      metadata: { type: 'object', additionalProperties: true, description: 'actor, command, correlationId, ...' },
      recordedAt: dateTime(),
      log: {
        type: 'object',
        nullable: true,
        description: 'With `proofs=<treeSize>`: the event\'s leaf and inclusion proof; null when the tree of that size does not hold it yet.',
        required: ['leafIndex', 'inclusionProof'],
        properties: { leafIndex: { type: 'integer' }, inclusionProof: base64List('RFC 6962 PATH, leaf to root.') },
      },
    },
  },
  NumberHistory: {
    type: 'object',
    description: 'One page of a number\'s events.',
    required: ['data', 'nextCursor'],
    properties: {
      data: { type: 'array', items: ref('NumberEvent'), description: 'Oldest first.' },
      nextCursor: nullableString('Pass as `cursor` to get the next page; null on the last page.'),
      log: {
        type: 'object',
        description: 'With `proofs=<treeSize>`: the tree the inclusion proofs are against.',
        required: ['treeSize', 'rootHash', 'checkpoint'],
        properties: {
          treeSize: { type: 'integer' },
          rootHash: { type: 'string', format: 'byte', description: 'Base64 of the 32-byte root.' },
          checkpoint: nullableString('The kept signed note of that size; null when none was signed at that size.'),
        },
      },
    },
  },
  CollectionResult: {
    type: 'object',
    description: 'Per number: the number reached, or the problem that refused it. 200 even when some fail.',
    required: ['success', 'error'],
    properties: {
      success: { type: 'object', additionalProperties: ref('Number') },
      error: { type: 'object', additionalProperties: ref('Problem') },
    },
  },
  GeneratedNumbers: {
    type: 'object',
    required: ['carrierModule', 'accountId', 'count', 'numbers'],
    properties: {
      carrierModule: { type: 'string', enum: ['knm_managed', 'knm_inum'] },
      accountId: { type: 'string' },
      count: { type: 'integer' },
      numbers: { type: 'array', items: { type: 'string' } },
    },
  },
  Account: {
    type: 'object',
    required: ['id', 'name', 'parentId', 'reseller', 'superAdmin', 'allowNumberAdditions'],
    properties: {
      id: { type: 'string', example: 'acme' },
      name: { type: 'string', example: 'Acme' },
      parentId: nullableString('Parent account; null for the system root.'),
      reseller: { type: 'boolean' },
      superAdmin: { type: 'boolean' },
      allowNumberAdditions: { type: 'boolean' },
      maxBillableNumbers: { type: 'integer', nullable: true },
      features: { type: 'object', additionalProperties: true, description: 'Feature allow/deny lists for numbers below it.' },
      ancestors: { type: 'array', items: { type: 'string' }, description: 'Ids from the root down to the parent.' },
      isSystem: { type: 'boolean' },
    },
  },
  IssuedKey: {
    type: 'object',
    description: 'The key is shown once, here; only its hash is stored.',
    required: ['accountId', 'keyId', 'key'],
    properties: {
      accountId: { type: 'string' },
      keyId: { type: 'string' },
      name: { type: 'string', nullable: true },
      key: { type: 'string', example: 'nlk_8c-emMot-d-K9CMgQk12uUy5uFIa1sNc', description: 'Send as `Authorization: Bearer <key>`.' },
    },
  },
  KeyList: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'array',
        description: 'Keys not revoked, oldest first.',
        items: {
          type: 'object',
          required: ['keyId', 'name', 'createdAt'],
          properties: { keyId: { type: 'string' }, name: { type: 'string', nullable: true }, createdAt: dateTime() },
        },
      },
    },
  },
  Service: {
    type: 'object',
    required: ['accountId', 'type', 'id', 'numbers'],
    properties: {
      accountId: { type: 'string' },
      type: { type: 'string', enum: [...SERVICE_TYPES] },
      id: { type: 'string', example: 'desk-1' },
      name: { type: 'string', nullable: true },
      numbers: { type: 'array', items: { type: 'string' } },
      updatedAt: dateTime(),
    },
  },
  ServicePage: pageOf('Service', 'One page of services, ordered by type and id.'),
  AuditLine: {
    type: 'object',
    required: ['number', 'accountId', 'state', 'usedBy'],
    properties: {
      number: { type: 'string' },
      accountId: nullableString(),
      state: nullableString('State before the audit (null: the number was missing).'),
      usedBy: { type: 'array', items: ref('UsageRef') },
      reason: { type: 'string', description: 'Conflicts: why the number was not changed.' },
    },
  },
  Audit: {
    type: 'object',
    description: 'An inventory audit (SPEC 7) and at most `limit` report lines of each kind.',
    required: ['id', 'accountId', 'level', 'status', 'progress', 'counts', 'report'],
    properties: {
      id: { type: 'string' },
      accountId: { type: 'string' },
      level: { type: 'string', enum: ['customer', 'site'] },
      siteIds: { type: 'array', items: { type: 'string' } },
      status: { type: 'string', enum: ['running', 'completed'] },
      requestedBy: { type: 'string' },
      startedAt: dateTime(),
      finishedAt: nullableString(undefined, 'date-time'),
      progress: {
        type: 'object',
        required: ['processed'],
        properties: { total: { type: 'integer', nullable: true }, processed: { type: 'integer' } },
      },
      counts: {
        type: 'object',
        required: ['added', 'updated', 'conflicts', 'unused'],
        properties: { added: { type: 'integer' }, updated: { type: 'integer' }, conflicts: { type: 'integer' }, unused: { type: 'integer' } },
      },
      report: {
        type: 'object',
        required: ['added', 'updated', 'conflicts', 'unused'],
        properties: Object.fromEntries(['added', 'updated', 'conflicts', 'unused'].map((k) => [k, { type: 'array', items: ref('AuditLine') }])),
      },
    },
  },
  TaskSubmitted: {
    type: 'object',
    required: ['id', 'action', 'status', 'dryRun'],
    properties: {
      id: { type: 'string' },
      action: { type: 'string', enum: [...TASK_ACTIONS] },
      status: { type: 'string', enum: ['pending', 'executing', 'success', 'partial', 'failure'] },
      dryRun: { type: 'boolean' },
      total: { type: 'integer', nullable: true, description: 'Rows in the upload.' },
    },
  },
  Task: {
    type: 'object',
    required: ['id', 'action', 'status', 'dryRun', 'processed', 'succeeded', 'failed'],
    properties: {
      id: { type: 'string' },
      action: { type: 'string', enum: [...TASK_ACTIONS] },
      status: { type: 'string', enum: ['pending', 'executing', 'success', 'partial', 'failure'] },
      dryRun: { type: 'boolean' },
      requester: { type: 'string' },
      total: { type: 'integer' },
      processed: { type: 'integer' },
      succeeded: { type: 'integer' },
      failed: { type: 'integer' },
      submittedAt: nullableString(undefined, 'date-time'),
      startedAt: nullableString(undefined, 'date-time'),
      finishedAt: nullableString(undefined, 'date-time'),
    },
  },
  Quantities: {
    type: 'object',
    description: 'What billing counts for the account at an instant (SPEC 6).',
    required: ['accountId', 'asOf', 'cascade', 'phone_numbers', 'number_services', 'number_carriers'],
    properties: {
      accountId: { type: 'string' },
      asOf: dateTime(),
      cascade: { type: 'boolean' },
      phone_numbers: counts('Billable numbers per classification.'),
      number_services: counts('Numbers per active feature.'),
      number_carriers: counts('Numbers per carrier module.'),
    },
  },
  NumberDays: {
    type: 'object',
    description: 'Number-days over [from, to).',
    required: ['accountId', 'from', 'to', 'cascade', 'unit', 'phone_numbers', 'number_services', 'number_carriers'],
    properties: {
      accountId: { type: 'string' },
      from: dateTime(),
      to: dateTime(),
      cascade: { type: 'boolean' },
      unit: { type: 'string', enum: ['number-days'] },
      phone_numbers: counts('Number-days per classification (billable numbers).'),
      number_services: counts('Number-days per active feature.'),
      number_carriers: counts('Number-days per carrier module.'),
    },
  },
  NumberManagerConfig: {
    type: 'object',
    description: 'The number-manager configuration (SPEC 4); every change is an event.',
    required: ['carrierModules', 'releasedState', 'shouldAge', 'agingPeriodDays'],
    properties: {
      carrierModules: { type: 'array', items: { type: 'string' } },
      releasedState: { type: 'string', enum: ['available', 'released'] },
      shouldAge: { type: 'boolean' },
      agingPeriodDays: { type: 'integer' },
      shouldPermanentlyDelete: { type: 'boolean' },
      discoveryExpiryDays: { type: 'integer' },
      localFeatureOverride: { type: 'boolean' },
      features: {
        type: 'object',
        properties: {
          allow: { type: 'array', nullable: true, items: { type: 'string', enum: [...FEATURES] } },
          deny: { type: 'array', nullable: true, items: { type: 'string', enum: [...FEATURES] } },
        },
      },
      searchMinPrefixLength: { type: 'integer' },
      billInventoryNumbers: { type: 'boolean' },
    },
  },
  CarrierModuleSettings: {
    type: 'object',
    description: 'A carrier module\'s settings in one scope; credentials are returned as `***`.',
    required: ['module', 'scope', 'configured', 'settings'],
    properties: {
      module: { type: 'string', example: 'knm_telnyx' },
      scope: { type: 'string', description: '`system` or the reseller\'s id.' },
      configured: { type: 'boolean', description: 'false: nothing stored, the defaults are shown.' },
      settings: { type: 'object', additionalProperties: true, description: 'baseUrl, credentials (redacted), enableProvisioning, sandboxProvisioning, costs, minSearchPrefix, timeoutMs, orderPoll, debug.' },
    },
  },
  SystemCarriers: {
    type: 'object',
    required: ['enabledModules', 'modules'],
    properties: {
      enabledModules: { type: 'array', items: { type: 'string' }, description: 'Upstream modules enabled in the number-manager configuration.' },
      modules: { type: 'object', additionalProperties: ref('CarrierModuleSettings') },
    },
  },
  ResellerCarriers: {
    type: 'object',
    description: 'What the account\'s searches and orders use.',
    required: ['accountId', 'reseller', 'enabledModules', 'modules'],
    properties: {
      accountId: { type: 'string' },
      reseller: nullableString('The reseller whose settings apply (null: the system\'s).'),
      enabledModules: { type: 'array', items: { type: 'string' } },
      refused: { type: 'array', items: { type: 'object', additionalProperties: true } },
      modules: { type: 'object', additionalProperties: ref('CarrierModuleSettings') },
    },
  },
  EnabledModules: {
    type: 'object',
    required: ['accountId', 'enabledModules'],
    properties: {
      accountId: { type: 'string' },
      enabledModules: { type: 'array', nullable: true, items: { type: 'string' }, description: 'null: the operator\'s list.' },
    },
  },
  CarrierReconciliation: {
    type: 'object',
    description: 'A run of the reconciliation of one carrier account (docs/carriers.md): `running` with `progress`, `completed` (or `unsupported`: the carrier lists no numbers) with the report, or `failed` with the carrier\'s fault.',
    required: ['id', 'module', 'scope', 'status', 'startedAt'],
    properties: {
      id: { type: 'string' },
      module: { type: 'string', example: 'knm_telnyx' },
      scope: { type: 'string', description: '`system`, or the reseller whose own carrier settings were used.' },
      status: { type: 'string', enum: ['running', 'completed', 'unsupported', 'failed'] },
      startedAt: dateTime(),
      completedAt: nullableString(undefined, 'date-time'),
      progress: {
        type: 'object',
        description: 'While running.',
        required: ['upstreamSeen', 'pages'],
        properties: { upstreamSeen: { type: 'integer' }, pages: { type: 'integer' } },
      },
      error: { type: 'string', description: 'When failed: the carrier\'s fault.' },
      counts: counts('Findings per kind, plus `upstream` and `ledger` (numbers compared).'),
      findings: {
        type: 'array',
        description: 'Empty in lists; at most 10000 (all are counted).',
        items: {
          type: 'object',
          required: ['kind', 'number', 'module', 'ledgerModule', 'ledgerState', 'upstreamState'],
          properties: {
            kind: { type: 'string', enum: [...FINDING_KINDS] },
            number: { type: 'string' },
            module: { type: 'string' },
            ledgerModule: nullableString('null: the ledger never had the number.'),
            ledgerState: { type: 'string', description: '`absent` when the ledger never had the number; `elsewhere` in a reseller\'s run when an account outside the reseller\'s holds, orders or pools it.' },
            upstreamState: { type: 'string', description: '`absent` when the carrier does not list it.' },
          },
        },
      },
      fixes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['fix', 'number', 'result'],
          properties: { fix: { type: 'string', enum: [...FIXES] }, number: { type: 'string' }, result: { type: 'string' } },
        },
      },
      position: { type: 'string', description: 'Log position of the run\'s events.' },
    },
  },
  CarrierReconciliationRuns: {
    type: 'object',
    required: ['data'],
    properties: { data: { type: 'array', items: ref('CarrierReconciliation') } },
  },
  LogCheckpoint: logCheckpoint,
  LogCheckpointList: {
    type: 'object',
    required: ['data'],
    properties: { data: { type: 'array', items: ref('LogCheckpoint'), description: 'Largest tree first.' } },
  },
  LogPublicKey: {
    type: 'object',
    required: ['origin', 'algorithm', 'verifierKey', 'publicKeyPem'],
    properties: {
      origin: { type: 'string', example: 'ledger.example.com/numbers-ledger', description: 'The checkpoints\' origin line and key name.' },
      algorithm: { type: 'string', enum: ['Ed25519'] },
      verifierKey: { type: 'string', description: 'C2SP verifier key: `<name>+<8 hex key id>+<base64(0x01 || public key)>`.' },
      publicKeyPem: { type: 'string', description: 'The same key, PEM SubjectPublicKeyInfo.' },
    },
  },
  InclusionProof: {
    type: 'object',
    required: ['position', 'leafIndex', 'treeSize', 'rootHash', 'inclusionProof'],
    properties: {
      position: { type: 'string', example: '812:4' },
      leafIndex: { type: 'integer' },
      treeSize: { type: 'integer' },
      rootHash: { type: 'string', format: 'byte', description: 'Base64 root of the tree of `treeSize` leaves.' },
      inclusionProof: base64List('RFC 6962 PATH, leaf to root.'),
    },
  },
  ConsistencyProof: {
    type: 'object',
    required: ['from', 'to', 'consistencyProof'],
    properties: { from: { type: 'integer' }, to: { type: 'integer' }, consistencyProof: base64List('RFC 6962 PROOF.') },
  },
  Health: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  Ready: {
    type: 'object',
    required: ['status', 'projected', 'projectionLagSeconds'],
    properties: {
      status: { type: 'string', enum: ['ready'] },
      projected: { type: 'string', description: 'Log position the read models have reached.' },
      projectionLagSeconds: { type: 'number' },
    },
  },
};
