import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { parsePiiKeys, PiiCipher } from './pii-crypto';

/**
 * The person-data cipher built from PII_ENCRYPTION_KEY. The key is required in production (config);
 * elsewhere the api still starts without it (health checks, tooling), but any request that stores
 * or reads a resident ID answers 503 PII_KEY_MISSING rather than writing plain text.
 */
@Injectable()
export class PiiCipherService {
  private readonly cipher: PiiCipher | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cipher = config.PII_ENCRYPTION_KEY ? new PiiCipher(parsePiiKeys(config.PII_ENCRYPTION_KEY)) : null;
    if (!this.cipher) new Logger('PiiCipher').warn('PII_ENCRYPTION_KEY is not set: resident IDs can be neither stored nor read');
  }

  get(): PiiCipher {
    if (!this.cipher) {
      throw new DomainError(503, 'PII_KEY_MISSING', '未配置个人信息加密密钥，无法读写身份证号码 / PII_ENCRYPTION_KEY is not configured: resident IDs cannot be stored or read');
    }
    return this.cipher;
  }
}
