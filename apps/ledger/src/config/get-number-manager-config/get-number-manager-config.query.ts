import { Requester } from '@ledger/domain/types';

/** `GET /v1/config/number-manager`, `ledger config get`: the configuration in force (SPEC defaults until changed). */
export class GetNumberManagerConfigQuery {
  constructor(readonly requester: Requester) {}
}
