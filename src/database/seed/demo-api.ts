/**
 * The demo seed's client of the real HTTP api: signs in as each demo user (once at a time per user,
 * waiting out the per-minute sign-in limit), signs in again on 401 (tokens are short-lived) and
 * retries a busy case (503) a few times. Used by the cataract, child and training demo cases.
 */
import { httpJson } from '../../common/http-json';
import { DEMO_PASSWORD } from './demo-accounts';

export class DemoApiError extends Error {
  constructor(readonly status: number, readonly body: any, what: string) {
    super(`${what}: HTTP ${status} ${typeof body === 'object' ? (body?.code ?? '') + ' ' + (body?.message ?? JSON.stringify(body)) : String(body).slice(0, 200)}`);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DemoApi {
  private tokens = new Map<string, Promise<string>>();
  constructor(private readonly base: string) {}

  private raw(method: string, path: string, token: string | undefined, body?: unknown) {
    return httpJson(this.base, method, path, { token, body });
  }

  private token(username: string, fresh = false): Promise<string> {
    const known = this.tokens.get(username);
    if (known && !fresh) return known;
    const p = this.login(username);
    this.tokens.set(username, p);
    p.catch(() => this.tokens.delete(username));
    return p;
  }

  private async login(username: string): Promise<string> {
    let r = await this.raw('POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD });
    // Sign-ins are rate-limited per IP in fixed one-minute windows (LOGIN_RATE_PER_MINUTE) and the
    // demo signs in as some 40 people: wait for the next window and try again.
    for (let i = 0; r.status === 429 && i < 10; i++) {
      await sleep(60_000 - (Date.now() % 60_000) + 500);
      r = await this.raw('POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD });
    }
    if (r.status !== 200 || !r.body?.accessToken) throw new DemoApiError(r.status, r.body, `login as ${username}`);
    return r.body.accessToken as string;
  }

  /** Calls as `username`; refused unless the status is one of `expect`. */
  async call(username: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, expect: number[] = [200, 201]) {
    let r = await this.raw(method, path, await this.token(username), body);
    if (r.status === 401) r = await this.raw(method, path, await this.token(username, true), body);
    for (let i = 0; r.status === 503 && i < 5; i++) {
      await sleep(1000);
      r = await this.raw(method, path, await this.token(username), body);
    }
    if (!expect.includes(r.status)) throw new DemoApiError(r.status, r.body, `${username}: ${method} ${path}`);
    return r.body;
  }
}
