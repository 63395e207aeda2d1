/**
 * The api client: same origin, bearer token from the session, JSON in and out. Every refusal
 * becomes an ApiError carrying the server's `{statusCode, code, message, details}` so screens can
 * show the reason. A 401 on an authenticated call ends the session (see session.tsx).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Hooks {
  token(): string | null;
  unauthenticated(err: ApiError): void;
  served(): void;
}
let hooks: Hooks | null = null;
export function configureApi(h: Hooks) {
  hooks = h;
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** false: no token, and a 401 is the caller's business (sign-in). */
  auth?: boolean;
}

export async function api<T = any>(path: string, opts: ApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const token = opts.auth === false ? null : (hooks?.token() ?? null);
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'network');
  }
  const text = await res.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.message ?? res.statusText ?? `HTTP ${res.status}`, body?.details);
    if (res.status === 401 && token) hooks?.unauthenticated(err);
    throw err;
  }
  if (token) hooks?.served();
  return body as T;
}

export const qs = (q: Record<string, string | number | boolean | null | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<I, O>(items: I[], n: number, fn: (i: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** The file name of a Content-Disposition header (filename*=UTF-8'' first, then filename="…"). */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain form */
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;\s]+)/i.exec(header);
  return plain ? (plain[1] ?? plain[2]) : null;
}

/**
 * A file the api serves behind the bearer token (e.g. /reports/yearly.xlsx): fetched as a blob
 * with the session's token, then handed to the browser as a download under the server's file
 * name. A refusal becomes an ApiError like any other call.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<{ filename: string; size: number }> {
  const token = hooks?.token() ?? null;
  let res: Response;
  try {
    res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  if (!res.ok) {
    let body: any;
    try {
      body = JSON.parse(await res.text());
    } catch {
      body = undefined;
    }
    const err = new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.message ?? res.statusText ?? `HTTP ${res.status}`, body?.details);
    if (res.status === 401 && token) hooks?.unauthenticated(err);
    throw err;
  }
  if (token) hooks?.served();
  const blob = await res.blob();
  const filename = dispositionFilename(res.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.rel = 'noopener';
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // Give the browser a moment to start the download before the URL goes.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return { filename, size: blob.size };
}
