import { describeTaskFeatureScenarios } from './tasks-features-scenarios';

describeTaskFeatureScenarios('pglite');
