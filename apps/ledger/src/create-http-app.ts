import { BadRequestException, INestApplication, LoggerService, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import type { CoreOptions } from './core/core.module';
import { AccountWriter } from './accounts/account-writer';
import { logRequests } from './http/access-log';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH, refuseHostileInput } from './http/hostile-input';
import { completeOpenApi } from './http/openapi/complete-openapi';
import type { Logger } from 'pino';

/**
 * Builds the Nest application (Fastify) from AppModule and starts the ledger in it
 * (tables, catch-up, background work); the caller listens, and `app.close()` stops everything.
 */
export async function createHttpApp(
  options: CoreOptions,
  logger: LoggerService | false = false,
  accessLog?: Logger,
): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.settings.bodyLimitBytes,
    trustProxy: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
  });
  adapter.getInstance().addHook('preValidation', refuseHostileInput);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: logger === false ? false : logger,
    bufferLogs: false,
    bodyParser: false,
    // A refused start (a locked data directory, a bad setting) reaches the caller instead of ending the process.
    abortOnError: false,
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new BadRequestException(errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` }))),
    }),
  );
  if (accessLog) logRequests(adapter.getInstance(), accessLog);
  // Errors raised by Fastify itself (malformed JSON, body too large) reach the global ProblemFilter through Nest.
  // Some clients send `{}`-less POSTs with a JSON content type; treat an empty body as {}.
  adapter.getInstance().removeContentTypeParser('application/json');
  adapter.getInstance().addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON' }), undefined);
    }
  });
  const document = completeOpenApi(SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('numbers-ledger').setVersion('1').addBearerAuth().build(),
  ));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  // The page's assets are relative to /docs: under /docs/ they would be looked for in /docs/docs/.
  adapter.getInstance().addHook('onRequest', (req, reply, done) => {
    if (req.url === '/docs/') void reply.redirect('/docs', 301);
    else done();
  });
  await app.init();
  await app.get(AccountWriter).ensureSystemAccount();
  return app;
}
