import { describeTaskScenarios } from './tasks-scenarios';

describeTaskScenarios('pglite');
