import { Controller, OnModuleInit, UseFilters, UseInterceptors } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { from, Observable } from 'rxjs';
import { parseCarrierModule } from '@ledger/domain';
import { NumberCommand, Requester } from '@ledger/domain/types';
import { Projector } from '@ledger/projections/projector';
import { Public } from '../core/entry-decorators';
import { AcquireNumberDto } from '../numbers/acquire-number/acquire-number.http';
import { AddNumberDto, MdnNumberDto } from '../numbers/add-number/add-number.http';
import { CollectionController, CollectionDto } from '../numbers/collection/collection.http';
import { CommandMeta } from '../numbers/command-runner/command-meta';
import { NumberCommandGateway } from '../numbers/command-runner/number-command.gateway';
import { GenerateNumbersController, GenerateNumbersDto } from '../numbers/generate/generate-numbers.http';
import { GetNumberQuery, GetNumberQueryDto, NumberHistoryDto, NumberHistoryQuery } from '../numbers/get-number/get-number.http';
import { HISTORY_LIMIT } from '../numbers/get-number/history-page';
import { ListNumbersDto, ListNumbersQuery } from '../numbers/list-numbers/list-numbers.http';
import { AgeNumberDto } from '../numbers/release-number/release-number.http';
import { ReserveNumberDto } from '../numbers/reserve-number/reserve-number.http';
import { SearchNumbersDto, SearchNumbersQuery } from '../numbers/search-numbers/search-numbers.http';
import { SetFeaturesController } from '../numbers/set-features/set-features.http';
import { ControllerExchange, GrpcCaller } from './grpc-caller';
import { TenantViewInterceptor } from './tenant-view.interceptor';
import { GrpcErrorFilter } from './grpc-error.filter';
import { given, numberMessage, numberPage } from './number-message';
import { fromStruct, StructMessage, toStruct } from './struct';

type HistoryPage = { data: Array<Record<string, any>>; nextCursor: string | null };

type Req = Record<string, any>;

/**
 * `numbers.ledger.v1.Numbers`: the number commands go through the same
 * NumberCommandGateway (CommandBus) as HTTP, the queries through the same QueryBus
 * handlers; requests are validated with the HTTP DTOs.
 */
@Controller()
@Public() // the HTTP AuthGuard does not apply: GrpcCaller reads the key from the call metadata
@UseFilters(GrpcErrorFilter)
@UseInterceptors(TenantViewInterceptor)
export class NumbersGrpcController implements OnModuleInit {
  private collections!: CollectionController;
  private generator!: GenerateNumbersController;
  private features!: SetFeaturesController;

  constructor(
    private readonly caller: GrpcCaller,
    private readonly numbers: NumberCommandGateway,
    private readonly queries: QueryBus,
    private readonly projector: Projector,
    private readonly modules: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.collections = this.modules.get(CollectionController, { strict: false });
    this.generator = this.modules.get(GenerateNumbersController, { strict: false });
    this.features = this.modules.get(SetFeaturesController, { strict: false });
  }

  @GrpcMethod('Numbers', 'AddNumber')
  add(r: Req, metadata: Metadata) {
    return this.run(metadata, 'AddNumber', r, () => {
      const dto = this.caller.validated(AddNumberDto, given({ number: r.number, carrierModule: r.carrierModule, state: r.state, accountId: r.accountId }));
      const carrierModule = dto.carrierModule === undefined ? undefined : parseCarrierModule(dto.carrierModule);
      return [dto.number, { type: 'AddNumber', carrierModule, state: dto.state, accountId: dto.accountId }];
    });
  }

  @GrpcMethod('Numbers', 'AddMdnNumber')
  addMdn(r: Req, metadata: Metadata) {
    return this.run(metadata, 'AddMdnNumber', r, () => {
      const dto = this.caller.validated(MdnNumberDto, given({ number: r.number, accountId: r.accountId }));
      return [dto.number, { type: 'AddNumber', carrierModule: 'knm_mdn', accountId: dto.accountId, viaMdnEntry: true }];
    });
  }

  @GrpcMethod('Numbers', 'ReserveNumber')
  reserve(r: Req, metadata: Metadata) {
    return this.run(metadata, 'ReserveNumber', r, () => {
      const dto = this.caller.validated(ReserveNumberDto, given({ accountId: r.accountId, expiresAt: r.expiresAt }));
      return [r.number, { type: 'ReserveNumber', accountId: dto.accountId, expiresAt: dto.expiresAt }];
    });
  }

  @GrpcMethod('Numbers', 'AcquireNumber')
  acquire(r: Req, metadata: Metadata) {
    return this.run(metadata, 'AcquireNumber', r, () => {
      const dto = this.caller.validated(AcquireNumberDto, given({ accountId: r.accountId }));
      return [r.number, { type: 'AcquireNumber', accountId: dto.accountId }];
    });
  }

  @GrpcMethod('Numbers', 'PortIn')
  portIn(r: Req, metadata: Metadata) {
    return this.run(metadata, 'PortIn', r, () => {
      const dto = this.caller.validated(AcquireNumberDto, given({ accountId: r.accountId }));
      return [r.number, { type: 'PortIn', accountId: dto.accountId }];
    });
  }

  @GrpcMethod('Numbers', 'ReleaseNumber')
  release(r: Req, metadata: Metadata) {
    return this.run(metadata, 'ReleaseNumber', r, () => [r.number, { type: 'ReleaseNumber', reason: 'requested' }]);
  }

  @GrpcMethod('Numbers', 'AgeNumber')
  age(r: Req, metadata: Metadata) {
    return this.run(metadata, 'AgeNumber', r, () => {
      const dto = this.caller.validated(AgeNumberDto, given({ force: r.force }));
      return [r.number, { type: 'AgeNumber', force: dto.force === true }];
    });
  }

  @GrpcMethod('Numbers', 'DeleteNumber')
  remove(r: Req, metadata: Metadata) {
    return this.run(metadata, 'DeleteNumber', r, () => [r.number, { type: 'DeleteNumber' }]);
  }

  @GrpcMethod('Numbers', 'SetFeatures')
  setFeatures(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'SetFeatures', r, async (meta) => {
      const exchange = new ControllerExchange(meta);
      const changes = fromStruct(r.changes as StructMessage);
      const number = await this.features.set(r.number, changes, exchange.request, exchange.reply);
      return { number: numberMessage(number), position: exchange.position };
    });
  }

  @GrpcMethod('Numbers', 'RunCollection')
  collection(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'RunCollection', r, async (meta) => {
      const dto = this.caller.validated(CollectionDto, given({ numbers: r.numbers ?? [], accountId: r.accountId }));
      const exchange = new ControllerExchange(meta);
      const result = await this.collections.run(r.action ?? '', dto, exchange.request, exchange.reply);
      const success = Object.fromEntries(Object.entries(result.success).map(([n, v]) => [n, numberMessage(v as Record<string, unknown>)]));
      return { success, error: result.error, position: exchange.position };
    });
  }

  @GrpcMethod('Numbers', 'GenerateNumbers')
  generate(r: Req, metadata: Metadata) {
    return this.caller.command(metadata, 'GenerateNumbers', r, async (meta) => {
      const dto = this.caller.validated(GenerateNumbersDto, given({ carrierModule: r.carrierModule, accountId: r.accountId, start: r.start, count: r.count }));
      const exchange = new ControllerExchange(meta);
      const generated = await this.generator.generate(dto, exchange.request, exchange.reply);
      return { ...generated, position: exchange.position };
    });
  }

  @GrpcMethod('Numbers', 'GetNumber')
  async get(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(GetNumberQueryDto, given({ asOf: r.asOf }));
    return numberMessage(await this.queries.execute(new GetNumberQuery(r.number, requester, dto.asOf ? new Date(dto.asOf) : undefined)));
  }

  /** Server streaming: one message per event, oldest first, read from the store a page at a time. */
  @GrpcMethod('Numbers', 'GetNumberHistory')
  async history(r: Req, metadata: Metadata): Promise<Observable<unknown>> {
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
  async list(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(ListNumbersDto, given(r));
    return numberPage(await this.queries.execute(new ListNumbersQuery(dto, requester)));
  }

  @GrpcMethod('Numbers', 'SearchNumbers')
  async search(r: Req, metadata: Metadata) {
    const requester = await this.caller.requester(metadata);
    const dto = this.caller.validated(SearchNumbersDto, given(r));
    const found: { data: Record<string, unknown>[]; nextOffset: number | null } = await this.queries.execute(new SearchNumbersQuery(dto, requester));
    return { data: found.data.map(numberMessage), nextOffset: found.nextOffset };
  }

  /** One number command: validated into a domain command, run on the CommandBus, answered as a NumberReply. */
  private run(metadata: Metadata, rpc: string, r: Req, toCommand: () => [string, NumberCommand]) {
    return this.caller.command(metadata, rpc, r, async (meta: CommandMeta) => {
      const [number, command] = toCommand();
      const outcome = await this.numbers.execute(number, command, meta);
      return {
        number: numberMessage(await this.numbers.present(outcome, meta.requester)),
        position: outcome.position ?? this.projector.checkpoint,
      };
    });
  }
}
