import { describeLogTree } from './log-tree-scenarios';

describeLogTree('pglite');
