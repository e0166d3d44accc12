import { startLedger } from '../support/ledger-harness';
import { describeAuditScenarios } from './audit-scenarios';

describeAuditScenarios('embedded PGlite', () => startLedger('pglite'));
