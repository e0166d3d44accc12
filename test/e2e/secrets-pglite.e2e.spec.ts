import { startLedger } from '../support/ledger-harness';
import { describeSecretScenarios } from './secrets-scenarios';

describeSecretScenarios('embedded PGlite', () => startLedger('pglite'));
