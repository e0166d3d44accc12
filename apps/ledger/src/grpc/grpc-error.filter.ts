import { Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { ProblemFilter } from '../http/problem.filter';
import { grpcErrorOf } from './grpc-status';

/**
 * Every error of a gRPC call leaves as a gRPC status with the SPEC code in the
 * `ledger-error-code` trailer. The problem is built exactly as for HTTP.
 */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly problems = new ProblemFilter();
  private readonly logger = new Logger('grpc');

  catch(err: unknown): Observable<never> {
    const problem = this.problems.toProblem(err);
    if (problem.status >= 500 && problem.code !== 'carrier_fault') this.logger.error(err);
    return throwError(() => grpcErrorOf(problem));
  }
}
