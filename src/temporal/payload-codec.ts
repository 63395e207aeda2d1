import { METADATA_ENCODING_KEY, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { openGcm, parsePiiKeys, type PiiKey, sealGcm } from '../security/pii-crypto';

export { parsePiiKeys, type PiiKey };

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/**
 * Encrypts every Temporal payload (workflow inputs, Update arguments and results, activity data:
 * they carry case data, which is sensitive personal information) with AES-256-GCM before it leaves
 * the process, so Temporal's database and UI hold ciphertext. Payloads written before encryption was
 * enabled (no `binary/encrypted` encoding) pass through unchanged, so old histories still replay.
 * The Temporal Web UI shows these payloads as encrypted unless a codec server is configured.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, PiiKey>;
  constructor(private readonly keys: PiiKey[]) {
    if (!keys.length) throw new Error('no encryption key');
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys[0];
    return payloads.map((p) => ({
      metadata: { [METADATA_ENCODING_KEY]: enc(ENCODING), [KEY_ID]: enc(key.id) },
      data: sealGcm(key, temporal.api.common.v1.Payload.encode(p).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = p.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || dec(encoding) !== ENCODING) return p;
      const id = dec(p.metadata![KEY_ID]!);
      const key = this.byId.get(id);
      if (!key) throw new Error(`payload encrypted with unknown key id ${id}`);
      return temporal.api.common.v1.Payload.decode(openGcm(key, p.data!));
    });
  }
}

export function dataConverterFor(piiKey: string | undefined) {
  return piiKey ? { payloadCodecs: [new AesGcmPayloadCodec(parsePiiKeys(piiKey))] } : undefined;
}
