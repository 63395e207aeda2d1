import {
  ageOn,
  isValidResidentId,
  maskResidentId,
  residentIdCheckChar,
  validateResidentId,
  type ResidentIdResult,
} from '../../../src/domain/identity/resident-id';
import { iso7064Mod112, makeId, prng, withCheck, withWrongCheck } from './id-test-helpers';

const TODAY = '2026-11-23';

function expectError(r: ResidentIdResult, code: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe(code);
  expect(r.message).toMatch(/[\u4e00-\u9fff]/); // zh-CN text
  expect(r.messageEn).toMatch(/^[\x20-\x7e]+$/); // plain English
}

describe('validateResidentId', () => {
  describe('published samples (asserted literally)', () => {
    it('accepts the GB 11643-1999 example 11010519491231002X (check character X)', () => {
      const r = validateResidentId('11010519491231002X', { today: TODAY });
      expect(r).toEqual({
        ok: true,
        value: { id: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', regionCode: '110105', kind: 'resident' },
      });
    });

    it('accepts the second GB 11643-1999 example 440524188001010014 (born 1880, male)', () => {
      const r = validateResidentId('440524188001010014', { today: TODAY });
      expect(r).toEqual({
        ok: true,
        value: { id: '440524188001010014', birthDate: '1880-01-01', sex: 'M', regionCode: '440524', kind: 'resident' },
      });
    });

    it('the test helper agrees with the published check characters', () => {
      expect(iso7064Mod112('11010519491231002')).toBe('X');
      expect(iso7064Mod112('44052418800101001')).toBe('4');
    });
  });

  describe('normalisation', () => {
    it('accepts a lowercase x and normalises it to X', () => {
      const r = validateResidentId('11010519491231002x', { today: TODAY });
      expect(r.ok && r.value.id).toBe('11010519491231002X');
    });

    it('trims surrounding whitespace', () => {
      const r = validateResidentId('  11010519491231002X\n', { today: TODAY });
      expect(r.ok && r.value.id).toBe('11010519491231002X');
    });
  });

  describe('format (ID_FORMAT)', () => {
    it.each([
      ['empty', ''],
      ['17 chars', '11010519491231002'],
      ['19 chars', '11010519491231002X1'],
      ['X not last', '1101051949123100X2'],
      ['letter inside', '1101051949A231002X'],
      ['other check letter', '11010519491231002Y'],
      ['inner spaces', '110105 19491231 002X'],
      ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ])('rejects %s', (_label, input) => {
      expectError(validateResidentId(input, { today: TODAY }), 'ID_FORMAT');
    });

    it('rejects non-string input', () => {
      expectError(validateResidentId(11010519491231002 as unknown, { today: TODAY }), 'ID_FORMAT');
      expectError(validateResidentId(null), 'ID_FORMAT');
      expectError(validateResidentId(undefined), 'ID_FORMAT');
    });

    it('rejects a legacy 15-digit number with a specific message', () => {
      const r = validateResidentId('110105491231002');
      expectError(r, 'ID_FORMAT');
      expect(!r.ok && r.message).toContain('15位');
    });
  });

  describe('checksum (ID_CHECKSUM)', () => {
    it('rejects a wrong check digit', () => {
      expectError(validateResidentId('110105194912310021', { today: TODAY }), 'ID_CHECKSUM');
    });

    it('rejects a number whose check should be X but is a digit', () => {
      expectError(validateResidentId('110105194912310020', { today: TODAY }), 'ID_CHECKSUM');
    });

    it('rejects X where a digit is expected', () => {
      expectError(validateResidentId('44052418800101001X', { today: TODAY }), 'ID_CHECKSUM');
    });

    it('detects every single-digit typo in the first 17 digits', () => {
      const id = '11010519491231002X';
      for (let pos = 0; pos < 17; pos++) {
        const d = Number(id[pos]);
        const typo = id.slice(0, pos) + String((d + 1) % 10) + id.slice(pos + 1);
        expectError(validateResidentId(typo, { today: TODAY }), 'ID_CHECKSUM');
      }
    });

    it('detects a swap of two adjacent different digits', () => {
      // 4405 -> 4450
      expectError(validateResidentId('445024188001010014', { today: TODAY }), 'ID_CHECKSUM');
    });

    it('residentIdCheckChar matches the independent recursive ISO 7064 implementation', () => {
      const rnd = prng(20261123);
      for (let i = 0; i < 2000; i++) {
        let s = '';
        for (let k = 0; k < 17; k++) s += String(Math.floor(rnd() * 10));
        expect(residentIdCheckChar(s)).toBe(iso7064Mod112(s));
      }
    });

    it('residentIdCheckChar rejects bad input', () => {
      expect(() => residentIdCheckChar('123')).toThrow(RangeError);
      expect(() => residentIdCheckChar('1101051949123100X')).toThrow(RangeError);
    });
  });

  describe('region (ID_REGION)', () => {
    it('accepts exactly the listed province codes as resident IDs', () => {
      const mainland = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
        64, 65, 71,
      ];
      const permits = [81, 82, 83];
      for (let p = 0; p <= 99; p++) {
        const prefix = String(p).padStart(2, '0');
        const r = validateResidentId(makeId(`${prefix}0101`, '19800101'), { today: TODAY });
        if (mainland.includes(p)) {
          expect(r.ok && r.value.kind).toBe('resident');
        } else if (permits.includes(p)) {
          expect(r.ok && r.value.kind).toBe('residence-permit');
        } else {
          expectError(r, 'ID_REGION');
        }
      }
    });

    it('accepts Hong Kong / Macau / Taiwan residence permit numbers (810000/820000/830000)', () => {
      for (const region of ['810000', '820000', '830000']) {
        const r = validateResidentId(makeId(region, '19900615', '013'), { today: TODAY });
        expect(r).toEqual({
          ok: true,
          value: expect.objectContaining({ regionCode: region, kind: 'residence-permit', birthDate: '1990-06-15', sex: 'M' }),
        });
      }
    });

    it('rejects a foreign permanent residence ID (9 + province + nationality) unless allowed', () => {
      // 9, issued in Beijing (11), nationality code 840, born 1985-03-02
      const id = makeId('911840', '19850302', '002');
      const r = validateResidentId(id, { today: TODAY });
      expectError(r, 'ID_REGION');
      expect(!r.ok && r.message).toContain('外国人永久居留');

      const allowed = validateResidentId(id, { today: TODAY, allowForeignPermanentResident: true });
      expect(allowed).toEqual({
        ok: true,
        value: { id, birthDate: '1985-03-02', sex: 'F', regionCode: '911840', kind: 'foreign-permanent-resident' },
      });
    });

    it('still rejects 9-prefixed numbers with a bad province even when foreign IDs are allowed', () => {
      expectError(
        validateResidentId(makeId('999840', '19850302'), { today: TODAY, allowForeignPermanentResident: true }),
        'ID_REGION',
      );
    });
  });

  describe('birth date (ID_BIRTHDATE)', () => {
    it.each([
      ['Feb 30', '20000230'],
      ['Feb 29 in a common year', '20230229'],
      ['Feb 29 in 1900 (century, not leap)', '19000229'],
      ['Apr 31', '19900431'],
      ['month 13', '19901301'],
      ['month 00', '19900001'],
      ['day 00', '19900100'],
      ['day 32', '19900132'],
      ['year before 1800', '17991231'],
    ])('rejects %s', (_label, birth) => {
      expectError(validateResidentId(makeId('110101', birth), { today: TODAY }), 'ID_BIRTHDATE');
    });

    it.each([
      ['Feb 29 in 2000 (leap century)', '20000229', '2000-02-29'],
      ['Feb 29 in 2024', '20240229', '2024-02-29'],
      ['Dec 31', '19991231', '1999-12-31'],
      ['1800-01-01 (floor)', '18000101', '1800-01-01'],
    ])('accepts %s', (_label, birth, iso) => {
      const r = validateResidentId(makeId('110101', birth), { today: TODAY });
      expect(r.ok && r.value.birthDate).toBe(iso);
    });

    it('rejects a birth date after today, accepts today', () => {
      expectError(validateResidentId(makeId('310101', '20261124'), { today: TODAY }), 'ID_BIRTHDATE');
      expect(validateResidentId(makeId('310101', '20261123'), { today: TODAY }).ok).toBe(true);
      expectError(validateResidentId(makeId('310101', '20300101'), { today: TODAY }), 'ID_BIRTHDATE');
    });

    it('interprets a Date "today" in Asia/Shanghai time', () => {
      const id = makeId('310101', '20261124');
      // 2026-11-23T16:30Z is 2026-11-24 00:30 in Shanghai
      expect(validateResidentId(id, { today: new Date('2026-11-23T16:30:00Z') }).ok).toBe(true);
      // 2026-11-23T15:59Z is still 2026-11-23 in Shanghai
      expectError(validateResidentId(id, { today: new Date('2026-11-23T15:59:00Z') }), 'ID_BIRTHDATE');
    });

    it('defaults "today" to the current date (a 2199 birth date is in the future)', () => {
      expectError(validateResidentId(makeId('310101', '21990101')), 'ID_BIRTHDATE');
      expect(validateResidentId('11010519491231002X').ok).toBe(true);
    });

    it('throws on a malformed today option (programming error, not user input)', () => {
      expect(() => validateResidentId('11010519491231002X', { today: '2026/11/23' })).toThrow(RangeError);
      expect(() => validateResidentId('11010519491231002X', { today: new Date('nope') })).toThrow(RangeError);
    });
  });

  describe('error precedence', () => {
    it('reports checksum before region and birth date', () => {
      // bad region AND bad date AND wrong check -> checksum
      expectError(validateResidentId(withWrongCheck(makeId('990101', '20000230')), { today: TODAY }), 'ID_CHECKSUM');
    });

    it('reports region before birth date', () => {
      expectError(validateResidentId(makeId('990101', '20000230'), { today: TODAY }), 'ID_REGION');
    });
  });

  describe('sex', () => {
    it('derives sex from the parity of the 17th digit', () => {
      for (let d = 0; d <= 9; d++) {
        const r = validateResidentId(withCheck(`32010219880808${'00'}${d}`), { today: TODAY });
        expect(r.ok && r.value.sex).toBe(d % 2 === 1 ? 'M' : 'F');
      }
    });
  });

  it('isValidResidentId mirrors validateResidentId', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
  });
});

describe('ageOn', () => {
  it('counts whole years, going up on the birthday itself', () => {
    expect(ageOn('1949-12-31', '2026-12-30')).toBe(76);
    expect(ageOn('1949-12-31', '2026-12-31')).toBe(77);
    expect(ageOn('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16);
  });

  it('is 0 on the day of birth and before the first birthday', () => {
    expect(ageOn('2026-01-01', '2026-01-01')).toBe(0);
    expect(ageOn('2025-01-02', '2026-01-01')).toBe(0);
  });

  it('handles 29 February birthdays: a year older on 1 March in common years', () => {
    expect(ageOn('2000-02-29', '2023-02-28')).toBe(22);
    expect(ageOn('2000-02-29', '2023-03-01')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-28')).toBe(23);
    expect(ageOn('2000-02-29', '2024-02-29')).toBe(24);
  });

  it('works with birth dates from a validated ID', () => {
    const r = validateResidentId('11010519491231002X');
    if (!r.ok) throw new Error('expected valid');
    expect(ageOn(r.value.birthDate, '2026-11-23')).toBe(76);
  });

  it('throws on malformed dates or onDate before birth', () => {
    expect(() => ageOn('1990-02-30', '2026-01-01')).toThrow(RangeError);
    expect(() => ageOn('19900101', '2026-01-01')).toThrow(RangeError);
    expect(() => ageOn('1990-01-01', '2026-13-01')).toThrow(RangeError);
    expect(() => ageOn('2026-01-02', '2026-01-01')).toThrow(RangeError);
  });
});

describe('maskResidentId', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskResidentId('11010119900307123X')).toBe('110101********123X');
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
    expect(maskResidentId('440524188001010014')).toBe('440524********0014');
  });

  it('normalises lowercase x and whitespace', () => {
    expect(maskResidentId(' 11010519491231002x ')).toBe('110105********002X');
  });

  it('hides the birth date completely', () => {
    const masked = maskResidentId('11010519491231002X');
    expect(masked).toHaveLength(18);
    expect(masked).not.toContain('1949');
    expect(masked).not.toContain('1231');
  });

  it('masks malformed input entirely instead of leaking digits', () => {
    expect(maskResidentId('110105491231002')).toBe('***************');
    expect(maskResidentId('12345')).toBe('*****');
    expect(maskResidentId('')).toBe('');
  });
});
