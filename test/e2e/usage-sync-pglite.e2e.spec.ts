import { describeUsageSyncCrash } from './usage-sync-scenarios';

describeUsageSyncCrash('pglite');
