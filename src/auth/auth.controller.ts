import { Body, Controller, Get, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Request } from 'express';
import { AuthUser, CurrentUser, Public } from './auth-user';
import { AuthService } from './auth.service';

export class LoginDto {
  @ApiProperty({ example: 'cw-demo' }) @IsString() @MinLength(1) @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) password: string;
  @ApiPropertyOptional({ description: 'TOTP code, when the account has enrolled one' }) @IsOptional() @Matches(/^\d{6}$/) otp?: string;
}
export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) currentPassword: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(128) newPassword: string;
}
export class LocaleDto {
  @ApiProperty({ enum: ['zh-CN', 'en'], description: 'Language of my notifications (e-mail, SMS, in-app) and of the web app after sign-in' })
  @IsIn(['zh-CN', 'en'], { message: 'locale 须为 zh-CN 或 en / locale must be zh-CN or en' })
  locale: string;
}
export class OtpDto {
  @ApiProperty({ example: '123456' }) @Matches(/^\d{6}$/) otp: string;
}

type SessionUser = AuthUser & { sessionId: string; mfaEnrolled: boolean };

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; returns a short-lived bearer token for a new session' })
  login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto.username, dto.password, dto.otp, { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null });
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with role and org scope' })
  me(@CurrentUser() user: SessionUser) {
    const { sessionId: _s, ...rest } = user;
    return rest;
  }

  @Put('me/locale')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set my language (zh-CN or en): notifications from now on are written in it; the web app’s language switch saves it here' })
  locale(@CurrentUser() user: SessionUser, @Body() dto: LocaleDto) {
    return this.auth.setLocale(user, dto.locale);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A new short-lived token for the current session (idle and absolute limits still apply)' })
  refresh(@CurrentUser() user: SessionUser) {
    return this.auth.refresh(user);
  }

  @Post('logout')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: the session is revoked at once' })
  logout(@CurrentUser() user: SessionUser) {
    return this.auth.logout(user);
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change my password (policy enforced); all my sessions are signed out' })
  password(@CurrentUser() user: SessionUser, @Body() dto: ChangePasswordDto) {
    return this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }

  @Post('totp/setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start TOTP enrolment: a secret and an otpauth:// URL for the authenticator app' })
  totpSetup(@CurrentUser() user: SessionUser) {
    return this.auth.totpSetup(user);
  }

  @Post('totp/enable')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Confirm a code to turn TOTP on for my account' })
  totpEnable(@CurrentUser() user: SessionUser, @Body() dto: OtpDto) {
    return this.auth.totpEnable(user, dto.otp);
  }
}
