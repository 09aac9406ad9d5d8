/** Go's net/netip ParseAddr and ParsePrefix (go1.26), for the rules that quote their errors. */
import { goQuote } from '../../hcl/unify.js';

export interface ParsedAddr {
  /** ParseAddr's error text, when the address does not parse. */
  readonly error?: string;
  readonly v6?: boolean;
  readonly zoned?: boolean;
}

const addrError = (input: string, msg: string, at = ''): ParsedAddr => ({
  error: `ParseAddr(${goQuote(input)}): ${msg}${at === '' ? '' : ` (at ${goQuote(at)})`}`,
});

/** parseIPv4Fields over `s`, a part of `input` (all of it, or the IPv4 tail of an IPv6 address). */
function ipv4Fields(input: string, s: string): ParsedAddr | undefined {
  let value = 0;
  let dots = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && value === 0) return addrError(input, 'IPv4 field has octet with leading zero');
      value = value * 10 + Number(c);
      digits++;
      if (value > 255) return addrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.')
        return addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (dots === 3) return addrError(input, 'IPv4 address too long');
      dots++;
      value = 0;
      digits = 0;
    } else return addrError(input, 'unexpected character', s.slice(i));
  }
  return dots < 3 ? addrError(input, 'IPv4 address too short') : undefined;
}

const HEX = /[0-9a-fA-F]/;

function parseIPv6(input: string): ParsedAddr {
  let s = input;
  let zone = '';
  const percent = s.indexOf('%');
  if (percent >= 0) {
    [s, zone] = [s.slice(0, percent), s.slice(percent + 1)];
    if (zone === '') return addrError(input, 'zone must be a non-empty string');
  }
  const done: ParsedAddr = { v6: true, zoned: zone !== '' };
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return done;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    while (off < s.length && HEX.test(s[off]!)) {
      if (off > 3) return addrError(input, 'each group must have 4 or less digits', s);
      off++;
    }
    if (off === 0) return addrError(input, 'each colon-separated field must have at least one digit', s);
    if (s[off] === '.') {
      if (ellipsis < 0 && i !== 12)
        return addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16)
        return addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const wrong = ipv4Fields(input, s);
      if (wrong) return wrong;
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') return addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) return addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return addrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return addrError(input, 'trailing garbage after address', s);
  if (i < 16 && ellipsis < 0) return addrError(input, 'address string too short');
  if (i >= 16 && ellipsis >= 0) return addrError(input, 'the :: must expand to at least one field of zeros');
  return done;
}

export function parseAddr(s: string): ParsedAddr {
  for (const c of s) {
    if (c === '.') return ipv4Fields(s, s) ?? {};
    if (c === ':') return parseIPv6(s);
    if (c === '%') return addrError(s, 'missing IPv6 address');
  }
  return addrError(s, 'unable to parse IP');
}

/** The error netip.ParsePrefix gives for `s`, or undefined when it is a prefix. */
export function prefixError(s: string): string | undefined {
  const fail = (msg: string) => `netip.ParsePrefix(${goQuote(s)}): ${msg}`;
  const slash = s.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  const addr = parseAddr(s.slice(0, slash));
  if (addr.error) return fail(addr.error);
  if (addr.v6 && addr.zoned) return fail('IPv6 zones cannot be present in a prefix');
  const bits = s.slice(slash + 1);
  // strconv.Atoi after refusing a sign or a leading zero: digits only, within int64.
  if (!/^(0|[1-9][0-9]*)$/.test(bits) || BigInt(bits) > 9223372036854775807n)
    return fail(`bad bits after slash: ${goQuote(bits)}`);
  return Number(bits) > (addr.v6 ? 128 : 32) ? fail('prefix length out of range') : undefined;
}
