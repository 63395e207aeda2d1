import {
  DISABILITY_CATEGORIES,
  certMatchesResident,
  parseDisabilityCert,
  type DisabilityCertResult,
} from '../../../src/domain/identity/disability-cert';
import { validateResidentId } from '../../../src/domain/identity/resident-id';
import { makeId } from './id-test-helpers';

const TODAY = '2026-11-23';
const ID = '11010519491231002X'; // GB 11643-1999 sample
const ID2 = makeId('440305', '20100615', '031'); // computed by the test helper

function expectError(r: DisabilityCertResult, code: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe(code);
  expect(r.message).toMatch(/[\u4e00-\u9fff]/);
  expect(r.messageEn.length).toBeGreaterThan(0);
}

describe('parseDisabilityCert', () => {
  it('parses ID + category + grade', () => {
    expect(parseDisabilityCert(`${ID}43`, { today: TODAY })).toEqual({
      ok: true,
      value: {
        certNo: `${ID}43`,
        residentId: ID,
        category: 4,
        categoryKey: 'limb',
        categoryName: '肢体',
        grade: 3,
        reissue: 0,
      },
    });
  });

  it('parses a B1 reissue suffix', () => {
    const r = parseDisabilityCert(`${ID}11B1`, { today: TODAY });
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({ residentId: ID, category: 1, categoryKey: 'vision', categoryName: '视力', grade: 1, reissue: 1 }),
    });
  });

  it('parses two-digit reissue suffixes and lowercase b / x', () => {
    const r = parseDisabilityCert(` ${ID.toLowerCase()}52b12 `, { today: TODAY });
    expect(r.ok && r.value).toEqual(
      expect.objectContaining({ certNo: `${ID}52B12`, residentId: ID, category: 5, grade: 2, reissue: 12 }),
    );
    expect(parseDisabilityCert(`${ID}52B99`).ok).toBe(true);
  });

  it('maps all seven categories', () => {
    const expected = [
      [1, 'vision', '视力'],
      [2, 'hearing', '听力'],
      [3, 'speech', '言语'],
      [4, 'limb', '肢体'],
      [5, 'intellectual', '智力'],
      [6, 'psychiatric', '精神'],
      [7, 'multiple', '多重'],
    ] as const;
    for (const [code, key, name] of expected) {
      const r = parseDisabilityCert(`${ID2}${code}4`, { today: TODAY });
      expect(r.ok && [r.value.category, r.value.categoryKey, r.value.categoryName]).toEqual([code, key, name]);
      expect(DISABILITY_CATEGORIES[code]).toEqual(expect.objectContaining({ code, key, name }));
    }
  });

  it('accepts grades 1 to 4', () => {
    for (const g of [1, 2, 3, 4]) {
      const r = parseDisabilityCert(`${ID2}6${g}`, { today: TODAY });
      expect(r.ok && r.value.grade).toBe(g);
    }
  });

  describe('CERT_CATEGORY', () => {
    it.each(['0', '8', '9'])('rejects category %s', (c) => {
      const r = parseDisabilityCert(`${ID}${c}2`, { today: TODAY });
      expectError(r, 'CERT_CATEGORY');
      expect(!r.ok && r.messageEn).toContain(`(${c})`);
    });
  });

  describe('CERT_GRADE', () => {
    it.each(['0', '5', '9'])('rejects grade %s', (g) => {
      expectError(parseDisabilityCert(`${ID}4${g}`, { today: TODAY }), 'CERT_GRADE');
    });

    it('reports the category before the grade when both are bad', () => {
      expectError(parseDisabilityCert(`${ID}85`, { today: TODAY }), 'CERT_CATEGORY');
    });
  });

  describe('CERT_ID', () => {
    it('passes the resident ID error through (wrong checksum)', () => {
      const badId = '110105194912310021';
      const idResult = validateResidentId(badId, { today: TODAY });
      const r = parseDisabilityCert(`${badId}43`, { today: TODAY });
      expectError(r, 'CERT_ID');
      if (r.ok || idResult.ok) throw new Error('expected errors');
      expect(r.idCode).toBe('ID_CHECKSUM');
      expect(r.message).toBe(idResult.message);
      expect(r.messageEn).toBe(idResult.messageEn);
    });

    it('passes through a birth-date error (Feb 30) and a region error', () => {
      const feb30 = parseDisabilityCert(`${makeId('110101', '20100230')}43`, { today: TODAY });
      expect(!feb30.ok && [feb30.code, feb30.idCode]).toEqual(['CERT_ID', 'ID_BIRTHDATE']);
      const region = parseDisabilityCert(`${makeId('990101', '20100101')}43`, { today: TODAY });
      expect(!region.ok && [region.code, region.idCode]).toEqual(['CERT_ID', 'ID_REGION']);
    });

    it('uses options.today for the embedded birth date', () => {
      const cert = `${makeId('110101', '20261201')}43`;
      expect(!parseDisabilityCert(cert, { today: TODAY }).ok).toBe(true);
      expect(parseDisabilityCert(cert, { today: '2026-12-01' }).ok).toBe(true);
    });

    it('reports the embedded ID before category/grade problems', () => {
      expectError(parseDisabilityCert('11010519491231002185', { today: TODAY }), 'CERT_ID');
    });
  });

  describe('CERT_FORMAT', () => {
    it.each([
      ['ID only', ID],
      ['missing grade', `${ID}4`],
      ['extra digit', `${ID}431`],
      ['B without digits', `${ID}43B`],
      ['B0', `${ID}43B0`],
      ['B00', `${ID}43B00`],
      ['leading zero B01', `${ID}43B01`],
      ['three-digit reissue', `${ID}43B100`],
      ['other suffix letter', `${ID}43C1`],
      ['letters for category', `${ID}AB`],
      ['X not at position 18', '1101051949123100X243'],
      ['embedded space', `${ID} 43`],
      ['empty', ''],
    ])('rejects %s', (_label, input) => {
      expectError(parseDisabilityCert(input, { today: TODAY }), 'CERT_FORMAT');
    });

    it('rejects non-string input', () => {
      expectError(parseDisabilityCert(1234 as unknown), 'CERT_FORMAT');
    });
  });
});

describe('certMatchesResident', () => {
  it('is true when the certificate embeds the resident ID', () => {
    expect(certMatchesResident(`${ID}43`, ID)).toBe(true);
    expect(certMatchesResident(`${ID}43B2`, ID)).toBe(true);
  });

  it('normalises case and whitespace on both sides', () => {
    expect(certMatchesResident(`${ID.toLowerCase()}43b1`, ` ${ID.toLowerCase()} `)).toBe(true);
  });

  it('accepts an already parsed certificate', () => {
    const r = parseDisabilityCert(`${ID2}72`);
    if (!r.ok) throw new Error('expected valid');
    expect(certMatchesResident(r.value, ID2)).toBe(true);
    expect(certMatchesResident(r.value, ID)).toBe(false);
  });

  it('is false for a different person', () => {
    expect(certMatchesResident(`${ID}43`, ID2)).toBe(false);
  });

  it('is false when either value is invalid', () => {
    expect(certMatchesResident(`${ID}83`, ID)).toBe(false);
    expect(certMatchesResident(`${ID}43`, '110105194912310021')).toBe(false);
    expect(certMatchesResident('110105194912310021' + '43', '110105194912310021')).toBe(false);
  });
});
