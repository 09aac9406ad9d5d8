import { suggest } from '../../../src/util/suggest.js';

const GROUP_ATTRIBUTES = ['count', 'shutdown_delay', 'stop_after_client_disconnect', 'max_client_disconnect'];

describe('suggest: the likely intended name for a typo', () => {
  it.each([
    ['memroy', ['cpu', 'memory', 'memory_max'], 'memory'],
    ['healty_deadline', ['min_healthy_time', 'healthy_deadline', 'progress_deadline'], 'healthy_deadline'],
    ['plna', ['apply', 'plan', 'validate'], 'plan'],
    ['Count', GROUP_ATTRIBUTES, 'count'],
    ['shutdown_delya', GROUP_ATTRIBUTES, 'shutdown_delay'],
    ['stop_after_clinet_disconect', GROUP_ATTRIBUTES, 'stop_after_client_disconnect'],
    ['İmage', ['image', 'images'], 'image'],
  ])('%s: %s', (name, candidates, expected) => {
    expect(suggest(name, candidates)).toBe(expected);
  });

  it('suggests nothing further than a third of the name (and two edits for any name)', () => {
    expect(suggest('nosuch123', GROUP_ATTRIBUTES)).toBeUndefined();
    expect(suggest('ab', ['xy', 'abcde'])).toBe('xy');
    expect(suggest('abcdef', ['abcdefghi'])).toBeUndefined();
    expect(suggest('abcdefghi', ['abcdef'])).toBe('abcdef');
  });

  it('prefers the closest candidate, and the first of equally close ones', () => {
    expect(suggest('plan', ['plans', 'plna', 'plan'])).toBe('plan');
    expect(suggest('colour', ['colours', 'color', 'colors'])).toBe('colours');
  });

  it('compares no candidate that would take the call past its work budget: a 1,001-character name gets none', () => {
    const name = `${'x'.repeat(1000)}y`;
    expect(suggest(name, [`${'x'.repeat(1000)}z`])).toBeUndefined();
    expect(suggest(name.slice(-300), [`${'x'.repeat(299)}z`])).toBe(`${'x'.repeat(299)}z`);
  });

  it('spends none of the budget on candidates whose length alone rules them out', () => {
    const name = 'a_thirty_character_long_name_1';
    const ruledOut = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? `n${i}` : 'x'.repeat(100)));
    expect(suggest(name, [...ruledOut, 'a_thirty_character_long_name_2'])).toBe(
      'a_thirty_character_long_name_2',
    );
  });
});
