/**
 * Real receivers on 127.0.0.1 for the notification channels: an SMTP server (smtp-server), an
 * SMS gateway, a WeCom and a DingTalk group robot (node:http), each checking what the real
 * service checks (signature, key, JSON shape) and recording every request.
 *
 * The SMS gateway honours `OutId` as an idempotency key, as our gateway contract requires: a
 * repeated OutId is answered with the first BizId and not sent to the phone again. The SMTP
 * "mailbox" keys messages by Message-ID, as mail stores do. Both also keep the raw count.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Mode = 'ok' | 'fail' | 'reject';

async function listen(server: Server | SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => (server as any).listen(0, '127.0.0.1', resolve));
  const s: any = server instanceof SMTPServer ? (server as any).server : server;
  return (s.address() as AddressInfo).port;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A request cut off mid-body (the sender was killed) is dropped, as a real server would. */
function guard(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch(() => res.destroy());
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export interface SmsMessage {
  PhoneNumbers: string;
  SignName: string;
  TemplateCode: string;
  TemplateParam: string;
  Content: string;
  OutId: string;
  at: number;
}

export async function startSmsGateway(secret: string) {
  const raw: SmsMessage[] = [];
  const delivered = new Map<string, SmsMessage & { bizId: string }>();
  let badSignatures = 0;
  let mode: Mode = 'ok';
  const server = createServer(guard(async (req, res) => {
    const body = await readBody(req);
    const expected = `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
    if (req.headers['x-dpf-signature'] !== expected) {
      badSignatures++;
      return json(res, 401, { Code: 'SignatureDoesNotMatch', Message: 'bad signature' });
    }
    const m = { ...JSON.parse(body), at: Date.now() } as SmsMessage;
    raw.push(m);
    if (mode === 'fail') return json(res, 503, { Code: 'ServiceUnavailable', Message: 'try later' });
    if (mode === 'reject') return json(res, 200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'bad number' });
    const seen = delivered.get(m.OutId);
    if (seen) return json(res, 200, { Code: 'OK', BizId: seen.bizId, Message: 'duplicate OutId ignored' });
    const bizId = randomUUID();
    delivered.set(m.OutId, { ...m, bizId });
    json(res, 200, { Code: 'OK', BizId: bizId, Message: 'OK' });
  }));
  server.keepAliveTimeout = 1000;
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/sms/send`,
    raw,
    delivered,
    get badSignatures() {
      return badSignatures;
    },
    setMode: (m: Mode) => (mode = m),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface RobotMessage {
  content: string;
  mentioned: string[];
  at: number;
}

/** WeCom group robot: POST /cgi-bin/webhook/send?key=<key>, {"msgtype":"text","text":{"content":…}}. */
export async function startWecom(key: string) {
  const received: RobotMessage[] = [];
  let rejected = 0;
  let mode: Mode = 'ok';
  const server = createServer(guard(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url!, 'http://x');
    if (req.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== key) {
      rejected++;
      return json(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' });
    }
    const m = JSON.parse(body);
    if (m.msgtype !== 'text' || typeof m.text?.content !== 'string') {
      rejected++;
      return json(res, 200, { errcode: 40008, errmsg: 'invalid message type' });
    }
    if (mode === 'fail') return json(res, 502, { errcode: -1, errmsg: 'system busy' });
    received.push({ content: m.text.content, mentioned: m.text.mentioned_mobile_list ?? [], at: Date.now() });
    json(res, 200, { errcode: 0, errmsg: 'ok' });
  }));
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`,
    received,
    get rejected() {
      return rejected;
    },
    setMode: (m: Mode) => (mode = m),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** DingTalk custom robot: POST /robot/send?access_token=…&timestamp=…&sign=… (HMAC-SHA256 of "timestamp\nsecret"). */
export async function startDingtalk(accessToken: string, secret: string) {
  const received: RobotMessage[] = [];
  let badSignatures = 0;
  let mode: Mode = 'ok';
  const server = createServer(guard(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url!, 'http://x');
    const ts = Number(url.searchParams.get('timestamp'));
    // URLSearchParams decodes the URL-encoded sign back to base64.
    const sign = url.searchParams.get('sign');
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    if (url.pathname !== '/robot/send' || url.searchParams.get('access_token') !== accessToken || sign !== expected || Math.abs(Date.now() - ts) > 3_600_000) {
      badSignatures++;
      return json(res, 200, { errcode: 310000, errmsg: 'sign not match' });
    }
    const m = JSON.parse(body);
    if (m.msgtype !== 'text' || typeof m.text?.content !== 'string') return json(res, 200, { errcode: 40035, errmsg: 'bad msgtype' });
    if (mode === 'fail') return json(res, 500, { errcode: -1, errmsg: 'system error' });
    received.push({ content: m.text.content, mentioned: m.at?.atMobiles ?? [], at: Date.now() });
    json(res, 200, { errcode: 0, errmsg: 'ok' });
  }));
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/robot/send?access_token=${accessToken}`,
    received,
    get badSignatures() {
      return badSignatures;
    },
    setMode: (m: Mode) => (mode = m),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface Mail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQP(data.replace(/_/g, ' ')),
  );
}
function decodeQP(s: string): string {
  const bytes: number[] = [];
  const t = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '=' && /^[0-9A-F]{2}$/i.test(t.slice(i + 1, i + 3))) {
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(t[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A minimal parser for the single-part text/plain messages nodemailer sends for text-only mail. */
export function parseMail(raw: string): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text = cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : cte === 'quoted-printable' ? decodeQP(body) : body;
  return { messageId: headers['message-id'], to: headers.to, subject: decodeWords(headers.subject ?? ''), text: text.replace(/\r\n/g, '\n').trimEnd(), headers };
}

/** An SMTP server (no TLS, no auth, as a local relay) that keeps every message; the mailbox is keyed by Message-ID. */
export async function startSmtp() {
  const raw: Mail[] = [];
  const mailbox = new Map<string, Mail>();
  let mode: Mode = 'ok';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode === 'reject') {
          const err: any = new Error('mailbox unavailable');
          err.responseCode = 550;
          return callback(err);
        }
        if (mode === 'fail') {
          const err: any = new Error('try again later');
          err.responseCode = 451;
          return callback(err);
        }
        const m = parseMail(Buffer.concat(chunks).toString('utf8'));
        raw.push(m);
        if (!mailbox.has(m.messageId)) mailbox.set(m.messageId, m);
        callback();
      });
    },
  });
  server.on('error', () => undefined); // a client killed mid-session resets its connection
  const port = await listen(server);
  return {
    url: `smtp://127.0.0.1:${port}`,
    raw,
    mailbox,
    setMode: (m: Mode) => (mode = m),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export { until } from '../../setup/waits';
