import { Body, Controller, Delete, HttpCode, Param, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequestContext } from '../../core/request-context';
import { sendPosition } from '../../core/position';
import { Context } from '../../core/request-context.decorator';
import { RemoveServiceCommand } from '../remove-service/remove-service';
import { RegisterServiceCommand, RegisterServiceDto } from './register-service';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/accounts/:id/services/:type/:serviceId')
export class RegisterServiceController {
  constructor(private readonly commands: CommandBus) {}

  /** Registers the service or replaces its name and numbers; numbers' usage follows. */
  @Put()
  @HttpCode(200)
  async register(
    @Param('id') id: string, @Param('type') type: string, @Param('serviceId') serviceId: string,
    @Body() dto: RegisterServiceDto, @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { answer, position } = await this.commands.execute(new RegisterServiceCommand(id, type, serviceId, dto, ctx));
    sendPosition(reply, position);
    return answer;
  }

  @Delete()
  @HttpCode(204)
  async remove(
    @Param('id') id: string, @Param('type') type: string, @Param('serviceId') serviceId: string,
    @Context() ctx: RequestContext, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    sendPosition(reply, await this.commands.execute(new RemoveServiceCommand(id, type, serviceId, ctx)));
  }
}
