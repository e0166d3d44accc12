import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { from, Observable } from 'rxjs';
import { parseCarrierModule } from '@ledger/domain';
import { NumberCommand, Requester } from '@ledger/domain/types';
import { Public } from '../core/entry-decorators';
import { AcquireNumberDto } from '../numbers/acquire-number/acquire-number.http';
import { AddNumberDto, MdnNumberDto } from '../numbers/add-number/add-number.http';
import { CollectionDto, RunCollectionCommand } from '../numbers/collection/run-collection';
import { NumberCommandGateway } from '../numbers/command-runner/number-command.gateway';
import { GenerateNumbersCommand, GenerateNumbersDto } from '../numbers/generate/generate-numbers';
import { GetNumberQuery, GetNumberQueryDto, NumberHistoryDto, NumberHistoryQuery } from '../numbers/get-number/get-number.http';
import { HISTORY_LIMIT } from '../numbers/get-number/history-page';
import { ListNumbersDto, ListNumbersQuery } from '../numbers/list-numbers/list-numbers.http';
import { AgeNumberDto } from '../numbers/release-number/release-number.http';
import { ReserveNumberDto } from '../numbers/reserve-number/reserve-number.http';
import { SearchNumbersDto, SearchNumbersQuery } from '../numbers/search-numbers/search-numbers.http';
import { featureChanges } from '../numbers/set-features/set-features.http';
import { GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given, numberMessage, numberPage } from './number-message';
import { fromStruct, StructMessage, toStruct } from './struct';
import { HistoryPage } from '../numbers/get-number/get-number.http';

/**
 * A `numbers.ledger.v1` number request as proto-loader decodes it (unset fields absent).
 * `number` is typed as given: when it is missing the domain refuses it as not a string.
 */
interface NumberRequest {
  number: string;
  carrierModule?: string;
  state?: string;
  accountId?: string;
  expiresAt?: string;
  force?: boolean;
  changes?: StructMessage;
}
interface CollectionRequest { action?: string; numbers?: string[]; accountId?: string }
interface GenerateRequest { carrierModule?: string; accountId?: string; start?: string; count?: number }
interface GetNumberRequest { number: string; asOf?: string }
interface HistoryRequest { number: string; limit?: number; cursor?: string }
/** List and search requests: their fields are the DTO's, checked whole by it. */
type FilterRequest = Record<string, string | number | boolean | undefined>;

/**
 * `numbers.ledger.v1.Numbers`: the number commands go through the same
 * NumberCommandGateway (CommandBus) as HTTP, the queries through the same QueryBus
 * handlers; requests are validated with the HTTP DTOs.
 */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class NumbersGrpcController {
  constructor(
    private readonly caller: GrpcCaller,
    private readonly numbers: NumberCommandGateway,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @GrpcMethod('Numbers', 'AddNumber')
  add(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'AddNumber', r, () => {
      const dto = this.caller.validated(AddNumberDto, given({ number: r.number, carrierModule: r.carrierModule, state: r.state, accountId: r.accountId }));
      const carrierModule = dto.carrierModule === undefined ? undefined : parseCarrierModule(dto.carrierModule);
      return [dto.number, { type: 'AddNumber', carrierModule, state: dto.state, accountId: dto.accountId }];
    });
  }

  @GrpcMethod('Numbers', 'AddMdnNumber')
  addMdn(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'AddMdnNumber', r, () => {
      const dto = this.caller.validated(MdnNumberDto, given({ number: r.number, accountId: r.accountId }));
      return [dto.number, { type: 'AddNumber', carrierModule: 'knm_mdn', accountId: dto.accountId, viaMdnEntry: true }];
    });
  }

  @GrpcMethod('Numbers', 'ReserveNumber')
  reserve(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'ReserveNumber', r, () => {
      const dto = this.caller.validated(ReserveNumberDto, given({ accountId: r.accountId, expiresAt: r.expiresAt }));
      return [r.number, { type: 'ReserveNumber', accountId: dto.accountId, expiresAt: dto.expiresAt }];
    });
  }

  @GrpcMethod('Numbers', 'AcquireNumber')
  acquire(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'AcquireNumber', r, () => {
      const dto = this.caller.validated(AcquireNumberDto, given({ accountId: r.accountId }));
      return [r.number, { type: 'AcquireNumber', accountId: dto.accountId }];
    });
  }

  @GrpcMethod('Numbers', 'PortIn')
  portIn(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'PortIn', r, () => {
      const dto = this.caller.validated(AcquireNumberDto, given({ accountId: r.accountId }));
      return [r.number, { type: 'PortIn', accountId: dto.accountId }];
    });
  }

  @GrpcMethod('Numbers', 'ReleaseNumber')
  release(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'ReleaseNumber', r, () => [r.number, { type: 'ReleaseNumber', reason: 'requested' }]);
  }

  @GrpcMethod('Numbers', 'AgeNumber')
  age(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'AgeNumber', r, () => {
      const dto = this.caller.validated(AgeNumberDto, given({ force: r.force }));
      return [r.number, { type: 'AgeNumber', force: dto.force === true }];
    });
  }

  @GrpcMethod('Numbers', 'DeleteNumber')
  remove(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'DeleteNumber', r, () => [r.number, { type: 'DeleteNumber' }]);
  }

  @GrpcMethod('Numbers', 'SetFeatures')
  setFeatures(r: NumberRequest, metadata: Metadata) {
    return this.run(metadata, 'SetFeatures', r, () => [r.number, { type: 'SetFeatures', changes: featureChanges(fromStruct(r.changes)) }]);
  }

  @GrpcMethod('Numbers', 'RunCollection')
  collection(r: CollectionRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'RunCollection', r, async (ctx) => {
      const dto = this.caller.validated(CollectionDto, given({ numbers: r.numbers ?? [], accountId: r.accountId }));
      const { answer, position } = await this.commands.execute(new RunCollectionCommand(r.action ?? '', dto, ctx));
      const success = Object.fromEntries(Object.entries(answer.success).map(([n, v]) => [n, numberMessage(v)]));
      return { success, error: answer.error, position };
    });
  }

  @GrpcMethod('Numbers', 'GenerateNumbers')
  generate(r: GenerateRequest, metadata: Metadata) {
    return this.caller.command(metadata, 'GenerateNumbers', r, async (ctx) => {
      const dto = this.caller.validated(GenerateNumbersDto, given({ carrierModule: r.carrierModule, accountId: r.accountId, start: r.start, count: r.count }));
      const { answer, position } = await this.commands.execute(new GenerateNumbersCommand(dto, ctx));
      return { ...answer, position };
    });
  }

  @GrpcMethod('Numbers', 'GetNumber')
  async get(r: GetNumberRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(GetNumberQueryDto, given({ asOf: r.asOf }));
    return numberMessage(await this.queries.execute(new GetNumberQuery(r.number, requester, dto.asOf ? new Date(dto.asOf) : undefined)));
  }

  /** Server streaming: one message per event, oldest first, read from the store a page at a time. */
  @GrpcMethod('Numbers', 'GetNumberHistory')
  async history(r: HistoryRequest, metadata: Metadata): Promise<Observable<unknown>> {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(NumberHistoryDto, given({ limit: r.limit, cursor: r.cursor }));
    const first = await this.historyPage(r.number, requester, dto.limit ?? HISTORY_LIMIT.max, dto.cursor);
    return from(this.historyMessages(r.number, requester, first, dto.limit !== undefined));
  }

  private historyPage(number: string, requester: Requester, limit: number, cursor?: string): Promise<HistoryPage> {
    return this.queries.execute(new NumberHistoryQuery(number, requester, { limit, cursor }));
  }

  private async *historyMessages(number: string, requester: Requester, first: HistoryPage, onePage: boolean) {
    let page = first;
    for (;;) {
      const last = page.data.length - 1;
      for (const [i, e] of page.data.entries()) {
        const next = onePage && i === last && page.nextCursor ? { nextCursor: page.nextCursor } : {};
        yield { ...e, data: toStruct(e.data), metadata: toStruct(e.metadata), ...next };
      }
      if (onePage || !page.nextCursor) return;
      page = await this.historyPage(number, requester, HISTORY_LIMIT.max, page.nextCursor);
    }
  }

  @GrpcMethod('Numbers', 'ListNumbers')
  async list(r: FilterRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(ListNumbersDto, given(r));
    return numberPage(await this.queries.execute(new ListNumbersQuery(dto, requester)));
  }

  @GrpcMethod('Numbers', 'SearchNumbers')
  async search(r: FilterRequest, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(SearchNumbersDto, given(r));
    const found = await this.queries.execute(new SearchNumbersQuery(dto, requester));
    return { data: found.data.map(numberMessage), nextOffset: found.nextOffset };
  }

  /** One number command: validated into a domain command, run on the CommandBus, answered as a NumberReply. */
  private run(metadata: Metadata, rpc: string, r: object, toCommand: () => [string, NumberCommand]) {
    return this.caller.command(metadata, rpc, r, async (ctx) => {
      const [number, command] = toCommand();
      const outcome = await this.numbers.execute(number, command, ctx);
      return { number: numberMessage(await this.numbers.present(outcome, ctx.requester)), position: this.numbers.reached(outcome) };
    });
  }
}
