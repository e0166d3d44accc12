import { startGrpcLedger } from './grpc-harness';
import { describeGrpcScenarios } from './grpc-scenarios';

describeGrpcScenarios('embedded PGlite', () => startGrpcLedger('pglite'));
