import { describeCarrierScenarios, startOn } from './carriers-scenarios';

describeCarrierScenarios('embedded PGlite', startOn('pglite'));
