/**
 * Second-generation disability certificate number (第二代中华人民共和国残疾人证).
 *
 * Layout: the holder's 18-character resident ID number, then one digit for the
 * disability category, one digit for the grade, and optionally a reissue
 * suffix "B<n>" (补发/换发 count, n = 1..99), e.g.
 *   11010519491231002X 4 3        -> limb disability, grade 3
 *   11010519491231002X 4 3 B1     -> same, first reissue
 * (without the spaces). Grade 1 is the most severe, grade 4 the mildest.
 *
 * Pure module: no I/O, no framework imports.
 */
import { validateResidentId, type ResidentIdErrorCode, type ResidentIdOptions } from './resident-id';

export type DisabilityCategoryKey =
  | 'vision'
  | 'hearing'
  | 'speech'
  | 'limb'
  | 'intellectual'
  | 'psychiatric'
  | 'multiple';

export type DisabilityCategoryCode = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type DisabilityGrade = 1 | 2 | 3 | 4;

export interface DisabilityCategory {
  code: DisabilityCategoryCode;
  key: DisabilityCategoryKey;
  /** Short zh-CN name as printed on the certificate, e.g. 视力. */
  name: string;
  nameEn: string;
}

/** Category table (GB/T 26341-2010 残疾人残疾分类和分级), keyed by the digit. */
export const DISABILITY_CATEGORIES: Readonly<Record<DisabilityCategoryCode, DisabilityCategory>> = Object.freeze({
  1: { code: 1, key: 'vision', name: '视力', nameEn: 'Vision' },
  2: { code: 2, key: 'hearing', name: '听力', nameEn: 'Hearing' },
  3: { code: 3, key: 'speech', name: '言语', nameEn: 'Speech' },
  4: { code: 4, key: 'limb', name: '肢体', nameEn: 'Physical (limb)' },
  5: { code: 5, key: 'intellectual', name: '智力', nameEn: 'Intellectual' },
  6: { code: 6, key: 'psychiatric', name: '精神', nameEn: 'Psychiatric' },
  7: { code: 7, key: 'multiple', name: '多重', nameEn: 'Multiple' },
});

export type DisabilityCertErrorCode = 'CERT_FORMAT' | 'CERT_ID' | 'CERT_CATEGORY' | 'CERT_GRADE';

export interface DisabilityCert {
  /** Normalised certificate number (trimmed, upper-case X and B). */
  certNo: string;
  /** The embedded, normalised resident ID number. */
  residentId: string;
  category: DisabilityCategoryCode;
  categoryKey: DisabilityCategoryKey;
  categoryName: string;
  grade: DisabilityGrade;
  /** Reissue count from the "B<n>" suffix; 0 if there is none. */
  reissue: number;
}

export type DisabilityCertResult =
  | { ok: true; value: DisabilityCert }
  | {
      ok: false;
      code: DisabilityCertErrorCode;
      message: string;
      messageEn: string;
      /** Only for CERT_ID: the underlying resident ID error code. */
      idCode?: ResidentIdErrorCode;
    };

// 17 digits + check char, category digit, grade digit, optional B + 1-2 digits.
// The category/grade capture any digit so that 0/8/9 get a specific error code.
const CERT_PATTERN = /^(\d{17}[\dX])(\d)(\d)(?:B(\d{1,2}))?$/;

/**
 * Parse and validate a disability certificate number. Whitespace around the
 * value is ignored; lowercase `x` and `b` are accepted and normalised.
 *
 * Check order: overall format → embedded resident ID → category → grade.
 * For CERT_ID the resident ID's own message is passed through unchanged and
 * its code is given in `idCode`.
 *
 * @param options passed to {@link validateResidentId} (e.g. `today`).
 */
export function parseDisabilityCert(input: unknown, options: ResidentIdOptions = {}): DisabilityCertResult {
  if (typeof input !== 'string') {
    return { ok: false, code: 'CERT_FORMAT', message: '残疾人证号必须为字符串', messageEn: 'Disability certificate number must be a string' };
  }
  const certNo = input.trim().toUpperCase();
  const m = CERT_PATTERN.exec(certNo);
  if (!m || (m[4] !== undefined && !/^[1-9]\d?$/.test(m[4]))) {
    // The second condition rejects B0, B00 and a leading zero such as B01.
    return {
      ok: false,
      code: 'CERT_FORMAT',
      message: '残疾人证号格式不正确：应为18位身份证号码＋1位残疾类别＋1位残疾等级，补发证可带B1、B2等后缀',
      messageEn:
        'Invalid disability certificate number: expected the 18-character resident ID, a category digit and a grade digit, optionally followed by a reissue suffix such as B1',
    };
  }
  const [, idPart, categoryDigit, gradeDigit, reissueDigits] = m;

  const id = validateResidentId(idPart, options);
  if (!id.ok) {
    return { ok: false, code: 'CERT_ID', message: id.message, messageEn: id.messageEn, idCode: id.code };
  }

  const category = Number(categoryDigit);
  if (category < 1 || category > 7) {
    return {
      ok: false,
      code: 'CERT_CATEGORY',
      message: `残疾类别代码无效（${categoryDigit}），应为1至7`,
      messageEn: `Invalid disability category code (${categoryDigit}); expected 1-7`,
    };
  }
  const grade = Number(gradeDigit);
  if (grade < 1 || grade > 4) {
    return {
      ok: false,
      code: 'CERT_GRADE',
      message: `残疾等级代码无效（${gradeDigit}），应为1至4`,
      messageEn: `Invalid disability grade (${gradeDigit}); expected 1-4`,
    };
  }

  const cat = DISABILITY_CATEGORIES[category as DisabilityCategoryCode];
  return {
    ok: true,
    value: {
      certNo,
      residentId: id.value.id,
      category: cat.code,
      categoryKey: cat.key,
      categoryName: cat.name,
      grade: grade as DisabilityGrade,
      reissue: reissueDigits === undefined ? 0 : Number(reissueDigits),
    },
  };
}

/**
 * True if the certificate (a number or an already parsed value) is valid and
 * embeds the given resident ID. Both sides are normalised (trim, upper-case
 * X). Returns false if either value is invalid.
 */
export function certMatchesResident(
  cert: string | DisabilityCert,
  residentId: string,
  options: ResidentIdOptions = {},
): boolean {
  let certId: string;
  if (typeof cert === 'string') {
    const parsed = parseDisabilityCert(cert, options);
    if (!parsed.ok) return false;
    certId = parsed.value.residentId;
  } else {
    certId = cert.residentId;
  }
  const id = validateResidentId(residentId, options);
  return id.ok && id.value.id === certId;
}
