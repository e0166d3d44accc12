import { startLedger } from '../support/ledger-harness';
import { describeBillingScenarios } from './billing-scenarios';

describeBillingScenarios('embedded PGlite', () => startLedger('pglite'));
