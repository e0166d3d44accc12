import { startLedger } from '../support/ledger-harness';
import { describeTenancyMatrix } from './tenancy-matrix';

describeTenancyMatrix('embedded PGlite', () => startLedger('pglite'));
