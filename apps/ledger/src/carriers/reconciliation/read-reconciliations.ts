import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Requester } from '@ledger/domain/types';
import { CarrierReconciliations, RunView } from './carrier-reconciliations';

/** One reconciliation run the caller may see. */
export class GetReconciliationQuery extends Query<RunView> {
  constructor(readonly id: string, readonly requester: Requester) {
    super();
  }
}

/** The reconciliation runs the caller may see. */
export class ListReconciliationsQuery extends Query<RunView[]> {
  constructor(readonly requester: Requester) {
    super();
  }
}

@QueryHandler(GetReconciliationQuery)
export class GetReconciliationHandler implements IQueryHandler<GetReconciliationQuery, RunView> {
  constructor(private readonly reconciliations: CarrierReconciliations) {}

  execute({ id, requester }: GetReconciliationQuery): Promise<RunView> {
    return this.reconciliations.get(id, requester);
  }
}

@QueryHandler(ListReconciliationsQuery)
export class ListReconciliationsHandler implements IQueryHandler<ListReconciliationsQuery, RunView[]> {
  constructor(private readonly reconciliations: CarrierReconciliations) {}

  execute({ requester }: ListReconciliationsQuery): Promise<RunView[]> {
    return this.reconciliations.list(requester);
  }
}
