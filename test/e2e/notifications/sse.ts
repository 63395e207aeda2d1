/** A small Server-Sent Events client over fetch (what a browser's EventSource does). */
export interface SseEvent {
  event: string;
  data: any;
}

export async function openSse(url: string) {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: ctrl.signal });
  const events: SseEvent[] = [];
  let closed = false;
  if (res.status === 200 && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
          }
        }
      } catch {
        /* aborted */
      } finally {
        closed = true;
      }
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    get closed() {
      return closed;
    },
    body: (res.status === 200 ? undefined : await res.json().catch(() => undefined)) as any,
    close: () => ctrl.abort(),
  };
}
