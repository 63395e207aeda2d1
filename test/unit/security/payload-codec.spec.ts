import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { AesGcmPayloadCodec, parsePiiKeys } from '../../../src/temporal/payload-codec';

const k1 = `k1:${randomBytes(32).toString('base64')}`;
const k2 = `k2:${randomBytes(32).toString('base64')}`;
const payload = defaultPayloadConverter.toPayload({ caseNo: 'CAT-2026-000001', acuity: 0.3 });

test('round trip; the wire holds no plaintext', async () => {
  const codec = new AesGcmPayloadCodec(parsePiiKeys(k1));
  const [enc] = await codec.encode([payload]);
  expect(new TextDecoder().decode(enc.metadata!.encoding)).toBe('binary/encrypted');
  expect(Buffer.from(enc.data!).toString('latin1')).not.toContain('CAT-2026');
  const [back] = await codec.decode([enc]);
  expect(defaultPayloadConverter.fromPayload(back)).toEqual({ caseNo: 'CAT-2026-000001', acuity: 0.3 });
});

test('rotation: the new key encrypts, old ciphertext still decrypts', async () => {
  const old = await new AesGcmPayloadCodec(parsePiiKeys(k1)).encode([payload]);
  const rotated = new AesGcmPayloadCodec(parsePiiKeys(`${k2},${k1}`));
  expect(defaultPayloadConverter.fromPayload((await rotated.decode(old))[0])).toMatchObject({ acuity: 0.3 });
  const fresh = await rotated.encode([payload]);
  expect(new TextDecoder().decode(fresh[0].metadata!['encryption-key-id'])).toBe('k2');
  await expect(new AesGcmPayloadCodec(parsePiiKeys(k1)).decode(fresh)).rejects.toThrow(/unknown key id k2/);
});

test('tampering is detected; plain payloads from before encryption pass through', async () => {
  const codec = new AesGcmPayloadCodec(parsePiiKeys(k1));
  const [enc] = await codec.encode([payload]);
  const data = Buffer.from(enc.data!);
  data[data.length - 1] ^= 1;
  await expect(codec.decode([{ ...enc, data }])).rejects.toThrow();
  expect(await codec.decode([payload])).toEqual([payload]);
});

test('keys must be 32 bytes', () => {
  expect(() => parsePiiKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
});

test('an SM4 key (kid:sm4:base64 of 16 bytes) encrypts payloads too', async () => {
  const codec = new AesGcmPayloadCodec(parsePiiKeys(`s1:sm4:${randomBytes(16).toString('base64')}`));
  const [enc] = await codec.encode([payload]);
  expect(new TextDecoder().decode(enc.metadata!['encryption-key-id'])).toBe('s1');
  expect(Buffer.from(enc.data!).toString('latin1')).not.toContain('CAT-2026');
  expect(defaultPayloadConverter.fromPayload((await codec.decode([enc]))[0])).toMatchObject({ acuity: 0.3 });
});
