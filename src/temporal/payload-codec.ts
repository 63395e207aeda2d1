import { METADATA_ENCODING_KEY, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

export interface PiiKey {
  id: string;
  key: Buffer;
}

/**
 * Parses PII_ENCRYPTION_KEY: "kid:base64key[,kid:base64key…]", the first is used to encrypt, all
 * decrypt (key rotation). A bare base64 value is key id "k1". Keys must be 32 bytes (AES-256).
 */
export function parsePiiKeys(value: string): PiiKey[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z0-9_-]{1,16}):(.+)$/.exec(part);
      const id = m ? m[1] : 'k1';
      const key = Buffer.from(m ? m[2] : part, 'base64');
      if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes of base64 (openssl rand -base64 32)`);
      return { id, key };
    });
}

/**
 * Encrypts every Temporal payload (workflow inputs, Update arguments and results, activity data:
 * they carry case data, which is sensitive personal information) with AES-256-GCM before it leaves
 * the process, so Temporal's database and UI hold ciphertext. Payloads written before encryption was
 * enabled (no `binary/encrypted` encoding) pass through unchanged, so old histories still replay.
 * The Temporal Web UI shows these payloads as encrypted unless a codec server is configured.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  constructor(private readonly keys: PiiKey[]) {
    if (!keys.length) throw new Error('no encryption key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: enc(ENCODING), [KEY_ID]: enc(id) },
        data: Buffer.concat([iv, cipher.getAuthTag(), body]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = p.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || dec(encoding) !== ENCODING) return p;
      const id = dec(p.metadata![KEY_ID]!);
      const key = this.byId.get(id);
      if (!key) throw new Error(`payload encrypted with unknown key id ${id}`);
      const data = Buffer.from(p.data!);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

export function dataConverterFor(piiKey: string | undefined) {
  return piiKey ? { payloadCodecs: [new AesGcmPayloadCodec(parsePiiKeys(piiKey))] } : undefined;
}
