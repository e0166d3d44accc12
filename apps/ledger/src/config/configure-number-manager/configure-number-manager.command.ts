import { NumberManagerConfig } from '@ledger/domain/types';
import { RequestContext } from '../../core/request-context';

/** `PUT /v1/config/number-manager`, `ledger config set`: the given settings replace the current ones. */
export class ConfigureNumberManagerCommand {
  constructor(readonly changes: Partial<NumberManagerConfig>, readonly meta: RequestContext) {}
}
