import { describeKeyScenarios } from './keys-scenarios';

describeKeyScenarios('pglite');
