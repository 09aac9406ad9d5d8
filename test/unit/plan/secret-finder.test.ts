import fc from 'fast-check';
import { SecretFinder } from '../../../src/plan/secret-finder.js';

/** The rule, spelled out: at each position the longest secret that starts there, else the character. */
function naive(text: string, secrets: readonly string[], replacement: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const longest = secrets
      .filter((s) => s !== '' && text.startsWith(s, i))
      .sort((a, b) => b.length - a.length)[0];
    if (longest) {
      out += replacement;
      i += longest.length;
    } else out += text[i++];
  }
  return out;
}

describe('SecretFinder', () => {
  it('replaces each secret, leftmost first and the longest where two start together', () => {
    const finder = new SecretFinder(['hunter2', 'hunter22', 'ter2x', 'pw-123']);
    expect(finder.replace('a=hunter22 b=hunter2 c=xter2x pw-123pw-123', '***')).toBe(
      'a=*** b=*** c=x*** ******',
    );
    expect(finder.replace('nothing here', '***')).toBe('nothing here');
  });

  it('finds a secret inside another one that does not start where it does (the dictionary links)', () => {
    expect(new SecretFinder(['abcdef', 'cd']).replace('abcdx', '#')).toBe('ab#x');
    expect(new SecretFinder(['abcdef', 'cd']).firstOccurrences('xxcd abcdef cd')).toEqual([
      { secret: 'cd', at: 2 },
      { secret: 'abcdef', at: 5 },
    ]);
  });

  it('agrees with the rule spelled out on any secrets and text', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\u00e9', '\ud83d\ude00'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), fc.array(word, { maxLength: 10 }), (secrets, words) => {
        const text = words.join('');
        expect(new SecretFinder(secrets).replace(text, '#')).toBe(naive(text, secrets, '#'));
      }),
      { numRuns: 500 },
    );
  });
});
