import { describeLedgerScenarios, startOn } from './ledger-scenarios';

describeLedgerScenarios('embedded PGlite', startOn('pglite'));
