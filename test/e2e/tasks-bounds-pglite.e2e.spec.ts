import { describeTaskBounds } from './tasks-bounds-scenarios';

describeTaskBounds('pglite');
