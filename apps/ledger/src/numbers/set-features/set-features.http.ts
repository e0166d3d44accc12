import { Body, Controller, HttpCode, HttpException, Param, Patch, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FEATURES, Feature } from '@ledger/domain/types';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { Context } from '../../core/request-context.decorator';
import { NumberCommandGateway } from '../command-runner/number-command.gateway';

@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1/numbers')
export class SetFeaturesController {
  constructor(private readonly numbers: NumberCommandGateway) {}

  /** SetFeatures (SPEC 5): `{"e911": {...}, "prepend": null}`; null removes. */
  @Patch(':number/features')
  @HttpCode(200)
  @ApiBody({
    description: `Features to set or, with null, remove: ${FEATURES.join(', ')}.`,
    schema: { type: 'object', additionalProperties: true, example: { prepend: { enabled: true, name: 'Sales' }, cnam: null } },
  })
  @ApiOkResponse({ description: 'The number with its features changed.' })
  set(@Param('number') number: string, @Body() body: unknown, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.numbers.forRequest(number, { type: 'SetFeatures', changes: featureChanges(body) }, ctx, reply);
  }
}

/** The body of SetFeatures: an object of known features (null removes one). */
export function featureChanges(body: unknown): Partial<Record<Feature, unknown>> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpException({ code: 'validation_failed', detail: 'the body must be an object of features' }, 400);
  }
  const unknown = Object.keys(body).filter((k) => !(FEATURES as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new HttpException({ code: 'validation_failed', detail: `unknown features: ${unknown.join(', ')}` }, 400);
  }
  return body;
}
