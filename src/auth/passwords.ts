// Argon2id (RFC 9106) through @node-rs/argon2: prebuilt binaries from npm, no compiler needed,
// maintained, and the algorithm MLPS level-3 assessors expect for stored credentials.
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (plain: string) => hash(plain);
export const verifyPassword = (stored: string, plain: string) => verify(stored, plain).catch(() => false);
