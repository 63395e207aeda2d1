import { PermanentDeliveryError, ThrottledError } from './channel';

/**
 * POSTs JSON (the exact bytes given) and returns the parsed reply. HTTP 429 → ThrottledError;
 * 408 and 5xx and network errors → retryable Error; other 4xx → PermanentDeliveryError.
 * Messages never include the URL (webhook URLs carry their keys).
 */
export async function postJson(url: string, rawBody: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<any> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: rawBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as any)?.cause?.code ?? (err as any)?.name ?? 'network';
    throw new Error(`request failed (${cause})`);
  }
  const text = await res.text().catch(() => '');
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    throw new ThrottledError(`HTTP 429 ${text.slice(0, 200)}`, Number.isFinite(after) && after > 0 ? after * 1000 : 60_000);
  }
  if (res.status === 408 || res.status >= 500) throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
  if (res.status >= 400) throw new PermanentDeliveryError(`HTTP ${res.status} ${text.slice(0, 200)}`);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`HTTP ${res.status} with a reply that is not JSON: ${text.slice(0, 200)}`);
  }
}
