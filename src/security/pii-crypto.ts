import { type CipherGCMTypes, createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// Node's typings list only the AES GCM names; OpenSSL (bundled with Node) implements sm4-gcm the same way.
const gcm = (alg: PiiAlgorithm) => alg as CipherGCMTypes;

/**
 * Encryption of personal data with the keys of PII_ENCRYPTION_KEY, shared by the Temporal payload
 * codec (src/temporal/payload-codec.ts) and the person table (resident ID and disability
 * certificate number at rest). AES-256-GCM (or SM4-GCM, GB/T 32907, for a key marked `sm4:`; both
 * from Node's bundled OpenSSL), random 96-bit IV, 128-bit tag; the first key encrypts, every
 * configured key decrypts (rotation), and each ciphertext is stored with its key id.
 */
export type PiiAlgorithm = 'aes-256-gcm' | 'sm4-gcm';

export interface PiiKey {
  id: string;
  key: Buffer;
  alg: PiiAlgorithm;
}

/**
 * Parses PII_ENCRYPTION_KEY: "kid:base64key[,kid:sm4:base64key…]", the first is used to encrypt,
 * all decrypt (key rotation; the algorithms may differ, e.g. while moving from AES to SM4). A bare
 * base64 value is key id "k1". AES-256 keys are 32 bytes (openssl rand -base64 32), SM4 keys 16
 * (openssl rand -base64 16).
 */
export function parsePiiKeys(value: string): PiiKey[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z0-9_-]{1,16}):(?:(sm4|aes):)?(.+)$/.exec(part);
      const id = m ? m[1] : 'k1';
      const alg: PiiAlgorithm = m?.[2] === 'sm4' ? 'sm4-gcm' : 'aes-256-gcm';
      const key = Buffer.from(m ? m[3] : part, 'base64');
      if (alg === 'sm4-gcm' && key.length !== 16) throw new Error(`key ${id} (SM4) must be 16 bytes of base64 (openssl rand -base64 16)`);
      if (alg === 'aes-256-gcm' && key.length !== 32) throw new Error(`key ${id} must be 32 bytes of base64 (openssl rand -base64 32)`);
      return { id, key, alg };
    });
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM or SM4-GCM: returns iv ‖ tag ‖ ciphertext. `aad` binds the ciphertext to its context (e.g. the column). */
export function sealGcm(k: Pick<PiiKey, 'key' | 'alg'>, plain: Uint8Array, aad?: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(gcm(k.alg), k.key, iv, { authTagLength: TAG_BYTES });
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Inverse of sealGcm; throws if the key, the context or the data is wrong (the tag does not verify). */
export function openGcm(k: Pick<PiiKey, 'key' | 'alg'>, data: Uint8Array, aad?: Buffer): Buffer {
  const buf = Buffer.from(data);
  if (buf.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = createDecipheriv(gcm(k.alg), k.key, buf.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** The encrypted person columns; each name is also the AAD of its ciphertext (no swapping columns). */
export type PiiField = 'person.resident_id' | 'person.disability_cert_no';

const BLIND_INDEX_INFO = 'dpf-caseflow person.resident_id blind index v1';

export class PiiKeyError extends Error {}

/**
 * Field encryption and blind index for the person table.
 *
 * Blind index: HMAC-SHA256(HKDF-SHA256(key, info = "…blind index v1"), normalised resident ID)
 * (HMAC-SM3 / HKDF-SM3 for an SM4 key, so an SM4 deployment uses national algorithms only). It is
 * deterministic (equal IDs give equal indexes, so a unique index refuses duplicates and an exact
 * search is an index lookup) but keyed, so the 18-digit ID space (about 10^11 valid IDs per birth
 * date range) cannot be brute-forced from a database dump without the key. The index key is
 * derived from the same secret as the encryption key (one secret to keep) under a separate label,
 * so an index value reveals nothing about the AES key. A row's index is computed with the same key
 * as its ciphertext (the row's pii_key_id); lookups try every configured key, so rows not yet
 * re-encrypted after a rotation are still found.
 */
export class PiiCipher {
  private readonly byId: Map<string, PiiKey>;
  private readonly indexKeys: { digest: 'sha256' | 'sm3'; key: Buffer }[];

  constructor(private readonly keys: PiiKey[]) {
    if (!keys.length) throw new PiiKeyError('no encryption key');
    this.byId = new Map(keys.map((k) => [k.id, k]));
    this.indexKeys = keys.map((k) => {
      const digest = k.alg === 'sm4-gcm' ? 'sm3' : 'sha256';
      return { digest, key: Buffer.from(hkdfSync(digest, k.key, Buffer.alloc(0), BLIND_INDEX_INFO, 32)) };
    });
  }

  /** PII_ENCRYPTION_KEY of the environment (migrations, seed, CLI, test fixtures run outside the app's config). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): PiiCipher {
    const value = env.PII_ENCRYPTION_KEY;
    if (!value) throw new PiiKeyError('PII_ENCRYPTION_KEY is not set: resident IDs are stored encrypted and cannot be written or read without it');
    return new PiiCipher(parsePiiKeys(value));
  }

  /** The id of the key new data is encrypted with. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  get keyIds(): string[] {
    return this.keys.map((k) => k.id);
  }

  encrypt(field: PiiField, plain: string): Buffer {
    return sealGcm(this.keys[0], Buffer.from(plain, 'utf8'), Buffer.from(field));
  }

  decrypt(field: PiiField, keyId: string, data: Uint8Array): string {
    const key = this.byId.get(keyId);
    if (!key) throw new PiiKeyError(`data encrypted with key id ${keyId}, which is not in PII_ENCRYPTION_KEY`);
    return openGcm(key, data, Buffer.from(field)).toString('utf8');
  }

  /** Blind index of a resident ID under the current key (stored with the row). */
  blindIndex(residentId: string): Buffer {
    return this.index(this.indexKeys[0], residentId);
  }

  /** Blind indexes under every configured key (for lookups during a rotation). */
  blindIndexes(residentId: string): Buffer[] {
    return this.indexKeys.map((k) => this.index(k, residentId));
  }

  private index(k: { digest: string; key: Buffer }, residentId: string): Buffer {
    return createHmac(k.digest, k.key).update(residentId.trim().toUpperCase(), 'utf8').digest();
  }
}

/** The encrypted columns of a person row, as written by the service, the seed, the migration and test fixtures. */
export interface PersonPiiColumns {
  resident_id_enc: Buffer;
  resident_id_bidx: Buffer;
  disability_cert_no_enc: Buffer | null;
  pii_key_id: string;
}

export function encryptPersonPii(cipher: PiiCipher, residentId: string, certNo: string | null | undefined): PersonPiiColumns {
  return {
    resident_id_enc: cipher.encrypt('person.resident_id', residentId),
    resident_id_bidx: cipher.blindIndex(residentId),
    disability_cert_no_enc: certNo ? cipher.encrypt('person.disability_cert_no', certNo) : null,
    pii_key_id: cipher.currentKeyId,
  };
}

/**
 * Replaces the encrypted columns of a person row read with `SELECT *` by the plain `resident_id`
 * and `disability_cert_no` the code works with (only in memory; they are never written back).
 */
export function decryptPersonRow<T extends Record<string, any>>(cipher: PiiCipher, row: T): Omit<T, keyof PersonPiiColumns> & { resident_id: string; disability_cert_no: string | null } {
  const { resident_id_enc, resident_id_bidx: _bidx, disability_cert_no_enc, pii_key_id, ...rest } = row;
  return {
    ...rest,
    resident_id: cipher.decrypt('person.resident_id', pii_key_id, resident_id_enc),
    disability_cert_no: disability_cert_no_enc ? cipher.decrypt('person.disability_cert_no', pii_key_id, disability_cert_no_enc) : null,
  } as any;
}
