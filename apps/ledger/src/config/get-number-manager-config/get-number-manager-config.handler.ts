import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { requireOperator } from '@ledger/domain/config';
import { NumberManagerConfig } from '@ledger/domain/types';
import { NumberManagerConfigStore } from '../number-manager-config.store';
import { GetNumberManagerConfigQuery } from './get-number-manager-config.query';

@QueryHandler(GetNumberManagerConfigQuery)
export class GetNumberManagerConfigHandler implements IQueryHandler<GetNumberManagerConfigQuery, NumberManagerConfig> {
  constructor(private readonly store: NumberManagerConfigStore) {}

  async execute({ requester }: GetNumberManagerConfigQuery): Promise<NumberManagerConfig> {
    requireOperator(requester);
    return await this.store.config();
  }
}
