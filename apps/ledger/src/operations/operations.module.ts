import { Module } from '@nestjs/common';
import { OperationsController } from './operations.http';

/** Liveness, readiness and metrics (the core's projector, stores and metrics). */
@Module({
  controllers: [OperationsController],
})
export class OperationsModule {}
