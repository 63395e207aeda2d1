import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthController } from './auth.controller';
import { BreakGlassController } from './break-glass.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RateLimiter } from './rate-limit';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({ secret: c.JWT_SECRET, signOptions: { algorithm: 'HS256', issuer: 'dpf-caseflow' }, verifyOptions: { algorithms: ['HS256'], issuer: 'dpf-caseflow' } }),
    }),
  ],
  controllers: [AuthController, UsersController, BreakGlassController],
  providers: [AuthService, UsersService, RateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtModule],
})
export class AuthModule {}
