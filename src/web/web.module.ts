import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * Serves the single-page app (web/, built by `npm run build:web` into dist/web) from the api:
 *  - /assets/* (content-hashed, cached for a year) and the few root files;
 *  - index.html for page navigations (GET/HEAD with Accept: text/html) that no API route answered.
 *
 * The handler is added in onModuleInit, which Nest runs after it has registered every controller
 * route and before its own 404 handler, so it can never shadow /health, /ready, /api/docs or an
 * API route: it only sees requests nothing else matched. Non-HTML requests (API clients) still get
 * the JSON 404. The app's own routes live under /app/ so a reload never lands on an API path.
 * Security headers (helmet, CSP) come from createApi and apply here too.
 */
export function findWebRoot(): string | null {
  // dist/src/web/web.module.js → dist/web; src/web/web.module.ts (tests) → dist/web.
  const candidates = [join(__dirname, '..', '..', 'dist', 'web'), join(__dirname, '..', '..', 'web')];
  return candidates.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'assets'))) ?? null;
}

export function webHandler(root: string) {
  const base = resolve(root);
  const index = join(base, 'index.html');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const isAsset = path.startsWith('/assets/');
    if (isAsset || /^\/[\w-]+\.(ico|png|svg|txt|webmanifest)$/.test(path)) {
      const file = resolve(base, `.${path}`);
      if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
      return res.sendFile(file, { maxAge: isAsset ? '365d' : '1h', immutable: isAsset, dotfiles: 'deny' });
    }
    const accept = String(req.headers.accept ?? '');
    if (!accept.includes('text/html') || path.startsWith('/api/')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    return res.sendFile(index);
  };
}

@Module({})
export class WebModule implements OnModuleInit {
  private readonly log = new Logger('web');
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit() {
    const app = this.host.httpAdapter?.getInstance?.();
    if (!app || typeof app.use !== 'function') return; // no HTTP server (e.g. an application context)
    const root = findWebRoot();
    if (!root) {
      this.log.warn('dist/web is not built (npm run build:web): the web app is not served');
      return;
    }
    app.use(webHandler(root));
  }
}
