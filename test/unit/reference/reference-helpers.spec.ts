/** Pure helpers of the reference endpoints: settings shape, person cursors and certificate masking. */
import { CATARACT_DEFAULTS, CHILD_REHAB_DEFAULTS } from '../../../workflows/contracts';
import { decodeCursor, encodeCursor, maskCertNo } from '../../../src/persons/persons.service';
import { settingsProblems } from '../../../src/programmes/programme-config.service';

describe('settingsProblems', () => {
  it('accepts the cataract defaults themselves (minus the derived keys)', () => {
    const { programme: _p, version: _v, ...s } = CATARACT_DEFAULTS;
    expect(settingsProblems(s, CATARACT_DEFAULTS)).toEqual([]);
  });

  it('accepts a minimal override', () => {
    expect(settingsProblems({ steps: {} })).toEqual([]);
    expect(settingsProblems({ steps: { screening: { workingDays: 0 } } }, CATARACT_DEFAULTS)).toEqual([]);
  });

  it('names every problem with its path', () => {
    const p = settingsProblems(
      { steps: { screening: { workingDays: -1 }, constructor: { workingDays: 1 } }, amounts: { settlementMin: 'x' }, extra: 1 },
      CATARACT_DEFAULTS,
    ).map((x) => x.path);
    expect(p).toEqual(expect.arrayContaining(['settings.extra', 'settings.steps.screening.workingDays', 'settings.steps.constructor', 'settings.amounts.settlementMin']));
  });

  it('a compressed calendar (demo and training stacks) only when allowed, for child rehab, of the right shape', () => {
    const cc = (c: unknown) => ({ steps: {}, rules: { compressedCalendar: c } });
    const paths = (s: unknown, d = CHILD_REHAB_DEFAULTS, allow = true) => settingsProblems(s, d, { allowCompressedCalendar: allow }).map((x) => x.path);
    const ok = { monthSeconds: 600, yearSeconds: 7200 };
    expect(paths(cc(ok))).toEqual([]);
    const refused = settingsProblems(cc(ok), CHILD_REHAB_DEFAULTS);
    expect(refused.map((x) => x.path)).toEqual(['settings.rules.compressedCalendar']);
    expect(refused[0].problem).toContain('ALLOW_COMPRESSED_CALENDAR');
    expect(paths(cc(ok), CATARACT_DEFAULTS)).toEqual(['settings.rules.compressedCalendar']);
    for (const bad of [null, [], { monthSeconds: 600 }, { monthSeconds: 0, yearSeconds: 60 }, { monthSeconds: 1.5, yearSeconds: 60 }, { monthSeconds: '600', yearSeconds: 7200 }, { ...ok, days: 1 }, { monthSeconds: 600, yearSeconds: 60 }]) {
      expect(paths(cc(bad))).toEqual(['settings.rules.compressedCalendar']);
    }
  });

  it('refuses non-objects', () => {
    expect(settingsProblems(null)).toHaveLength(1);
    expect(settingsProblems([])).toHaveLength(1);
  });

  it('every problem is written zh-CN / en', () => {
    for (const p of settingsProblems({ steps: { a: { workingDays: 999, remindBefore: 1 } }, followUps: [{}], rules: 3 })) {
      expect(p.problem).toContain(' / ');
    }
  });
});

describe('person list cursor', () => {
  it('round-trips name and id', () => {
    const c = encodeCursor('张三', '0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual(['张三', '0f8fad5b-d9cb-469f-a165-70867728950e']);
  });

  it.each(['', 'abc', Buffer.from('["a"]').toString('base64url'), Buffer.from('["a","not-a-uuid"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')])(
    'rejects %j with 400 INVALID_CURSOR',
    (c) => {
      expect(() => decodeCursor(c)).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }));
    },
  );
});

describe('maskCertNo', () => {
  it('masks the embedded resident ID and keeps category, grade and reissue', () => {
    expect(maskCertNo('11010519491231002X43B1')).toBe('110105********002X43B1');
    expect(maskCertNo('short')).toBe('*****');
  });
});
