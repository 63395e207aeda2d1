import { INestApplication, INestApplicationContext, Logger, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { WorkerModule } from './worker.module';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
export function logLevels(level: AppConfig['LOG_LEVEL']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** Loads the configuration or exits with a message naming every missing or malformed variable. */
export function configOrExit(processName: string): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[${processName}] ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** The HTTP application, configured exactly as in production (used by main.ts and e2e tests). */
export async function createApi(config: AppConfig, opts: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: opts.logger === false ? false : logLevels(config.LOG_LEVEL),
  });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  // Security headers (helmet defaults) and strict CORS: only the origins listed in CORS_ORIGINS.
  // Tokens travel in the Authorization header, never in cookies, so CSRF does not apply.
  app.use(helmet());
  app.enableCors({ origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false, credentials: false });
  app.set('trust proxy', 'loopback');
  app.useGlobalFilters(new HttpExceptionFilter());
  const doc = new DocumentBuilder()
    .setTitle('DPF caseflow API')
    .setDescription('残联康复与就业个案流转平台 API')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc));
  return app;
}

/** The worker: Temporal Worker + BullMQ processors in an application context without HTTP. */
export async function createWorker(config: AppConfig, opts: { logger?: false } = {}): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: opts.logger === false ? false : logLevels(config.LOG_LEVEL),
  });
}

/**
 * SIGINT/SIGTERM: close the application exactly once (Nest runs every shutdown hook: the worker
 * drains, BullMQ workers finish their job, connections close), then exit 0. A second signal
 * while closing forces exit 1. Nest's own enableShutdownHooks would re-raise the signal instead.
 */
export function exitOnSignals(app: INestApplicationContext, name: string): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const log = new Logger(name);
    if (closing) {
      log.warn(`${signal} again while stopping: exiting now`);
      process.exit(1);
    }
    closing = true;
    log.log(`${signal} received: stopping`);
    app.close().then(
      () => process.exit(0),
      (err) => {
        log.error(`error while stopping: ${err instanceof Error ? err.stack : err}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
