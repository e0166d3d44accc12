import { startLedger } from '../support/ledger-harness';
import { describeTenancyScenarios } from './tenancy-scenarios';

describeTenancyScenarios('embedded PGlite', () => startLedger('pglite'));
