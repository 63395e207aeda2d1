import { createDecipheriv, createHmac, hkdfSync, randomBytes, type DecipherGCM } from 'node:crypto';
import { decryptPersonRow, encryptPersonPii, parsePiiKeys, PiiCipher, PiiKeyError } from '../../../src/security/pii-crypto';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const k1 = key('k1');
const k2 = key('k2');
const ID = '11010519491231002X';
const CERT = `${ID}43B1`;

test('round trip; the ciphertext holds no plaintext and differs each time (random IV)', () => {
  const c = new PiiCipher(parsePiiKeys(k1));
  const a = c.encrypt('person.resident_id', ID);
  const b = c.encrypt('person.resident_id', ID);
  expect(a.toString('latin1')).not.toContain(ID);
  expect(a.toString('hex')).not.toContain(Buffer.from(ID).toString('hex'));
  expect(a.equals(b)).toBe(false);
  expect(a.length).toBe(12 + 16 + ID.length);
  expect(c.decrypt('person.resident_id', 'k1', a)).toBe(ID);
  expect(c.decrypt('person.resident_id', 'k1', b)).toBe(ID);
});

test('a wrong key, an unknown key id, another column or a flipped bit all fail', () => {
  const c1 = new PiiCipher(parsePiiKeys(k1));
  const enc = c1.encrypt('person.resident_id', ID);
  const other = new PiiCipher(parsePiiKeys(`k1:${randomBytes(32).toString('base64')}`)); // same id, other key
  expect(() => other.decrypt('person.resident_id', 'k1', enc)).toThrow();
  expect(() => c1.decrypt('person.resident_id', 'k9', enc)).toThrow(PiiKeyError);
  expect(() => c1.decrypt('person.resident_id', 'k9', enc)).toThrow(/key id k9/);
  // The column name is authenticated: a resident ID ciphertext pasted into the certificate column does not decrypt.
  expect(() => c1.decrypt('person.disability_cert_no', 'k1', enc)).toThrow();
  const tampered = Buffer.from(enc);
  tampered[tampered.length - 1] ^= 1;
  expect(() => c1.decrypt('person.resident_id', 'k1', tampered)).toThrow();
  expect(() => c1.decrypt('person.resident_id', 'k1', enc.subarray(0, 20))).toThrow(/too short/);
});

test('key id: the first key encrypts and is recorded; after rotation old rows still decrypt', () => {
  const before = new PiiCipher(parsePiiKeys(k1));
  const old = encryptPersonPii(before, ID, CERT);
  expect(old.pii_key_id).toBe('k1');
  const rotated = new PiiCipher(parsePiiKeys(`${k2},${k1}`));
  expect(rotated.currentKeyId).toBe('k2');
  expect(rotated.keyIds).toEqual(['k2', 'k1']);
  expect(decryptPersonRow(rotated, { id: 'x', ...old })).toEqual({ id: 'x', resident_id: ID, disability_cert_no: CERT });
  const fresh = encryptPersonPii(rotated, ID, null);
  expect(fresh.pii_key_id).toBe('k2');
  expect(fresh.disability_cert_no_enc).toBeNull();
  expect(() => decryptPersonRow(before, fresh)).toThrow(/key id k2/);
});

test('blind index: stable, normalised, keyed, separate from the encryption key, one per configured key', () => {
  const c1 = new PiiCipher(parsePiiKeys(k1));
  const idx = c1.blindIndex(ID);
  expect(idx).toHaveLength(32);
  expect(c1.blindIndex(ID).equals(idx)).toBe(true);
  expect(new PiiCipher(parsePiiKeys(k1)).blindIndex(` ${ID.toLowerCase()} `).equals(idx)).toBe(true);
  expect(c1.blindIndex('11010519491231003X').equals(idx)).toBe(false);
  // Keyed: another key gives another index, and it is not a bare hash or an HMAC under the AES key itself.
  expect(new PiiCipher(parsePiiKeys(k2)).blindIndex(ID).equals(idx)).toBe(false);
  const raw = parsePiiKeys(k1)[0].key;
  expect(createHmac('sha256', raw).update(ID).digest().equals(idx)).toBe(false);
  const derived = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'dpf-caseflow person.resident_id blind index v1', 32));
  expect(createHmac('sha256', derived).update(ID).digest().equals(idx)).toBe(true);
  // During a rotation a lookup tries every key: the row written under k1 is found under k2,k1.
  const rotated = new PiiCipher(parsePiiKeys(`${k2},${k1}`));
  expect(rotated.blindIndexes(ID).map((b) => b.toString('hex'))).toEqual([new PiiCipher(parsePiiKeys(k2)).blindIndex(ID).toString('hex'), idx.toString('hex')]);
  expect(rotated.blindIndex(ID).equals(idx)).toBe(false);
});

test('fromEnv names the missing variable; bad keys are refused', () => {
  expect(() => PiiCipher.fromEnv({})).toThrow(/PII_ENCRYPTION_KEY is not set/);
  expect(PiiCipher.fromEnv({ PII_ENCRYPTION_KEY: `${k2},${k1}` }).currentKeyId).toBe('k2');
  expect(() => parsePiiKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  expect(() => new PiiCipher([])).toThrow(/no encryption key/);
});

test('SM4-GCM option: a key marked sm4: (16 bytes) encrypts with SM4 and indexes with HMAC-SM3; mixes with AES keys in a rotation', () => {
  const sm4 = `s1:sm4:${randomBytes(16).toString('base64')}`;
  const [parsed] = parsePiiKeys(sm4);
  expect(parsed).toMatchObject({ id: 's1', alg: 'sm4-gcm' });
  expect(parsed.key).toHaveLength(16);
  expect(parsePiiKeys(k1)[0].alg).toBe('aes-256-gcm');
  expect(() => parsePiiKeys(`s1:sm4:${randomBytes(32).toString('base64')}`)).toThrow(/SM4.*16 bytes/);
  const c = new PiiCipher([parsed]);
  const enc = c.encrypt('person.resident_id', ID);
  expect(enc.length).toBe(12 + 16 + ID.length);
  expect(c.decrypt('person.resident_id', 's1', enc)).toBe(ID);
  // Really SM4 (not AES under the same bytes): OpenSSL's sm4-gcm opens it.
  const d = createDecipheriv('sm4-gcm', parsed.key, enc.subarray(0, 12)) as DecipherGCM;
  d.setAAD(Buffer.from('person.resident_id'));
  d.setAuthTag(enc.subarray(12, 28));
  expect(Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString()).toBe(ID);
  const derived = Buffer.from(hkdfSync('sm3', parsed.key, Buffer.alloc(0), 'dpf-caseflow person.resident_id blind index v1', 32));
  expect(c.blindIndex(ID).equals(createHmac('sm3', derived).update(ID).digest())).toBe(true);
  // Moving from AES to SM4: the SM4 key first, old AES rows still read and found.
  const moving = new PiiCipher(parsePiiKeys(`${sm4},${k1}`));
  const old = encryptPersonPii(new PiiCipher(parsePiiKeys(k1)), ID, CERT);
  expect(decryptPersonRow(moving, old)).toMatchObject({ resident_id: ID, disability_cert_no: CERT });
  expect(moving.blindIndexes(ID)[1].equals(old.resident_id_bidx)).toBe(true);
  expect(encryptPersonPii(moving, ID, null).pii_key_id).toBe('s1');
});
