/** What Go's net/url Parse (go1.26) makes of a string: refused, absolute (with a scheme) or relative. */
import { parseAddr } from './go-netip.js';

export type UrlKind = 'invalid' | 'absolute' | 'relative';

const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;
const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
/** ASCII a host may hold unescaped (shouldEscape for encodeHost). */
const HOST_ASCII = /^[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]$/;

export function urlKind(raw: string): UrlKind {
  const hash = raw.indexOf('#');
  const kind = referenceKind(hash < 0 ? raw : raw.slice(0, hash));
  if (kind !== 'invalid' && hash >= 0 && BAD_ESCAPE.test(raw.slice(hash + 1))) return 'invalid';
  return kind;
}

/** getScheme: the scheme and the rest, or undefined for a colon before any scheme letter. */
function splitScheme(raw: string): { scheme: string; rest: string } | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':')
      return i === 0 ? undefined : { scheme: raw.slice(0, i).toLowerCase(), rest: raw.slice(i + 1) };
    break;
  }
  return { scheme: '', rest: raw };
}

function referenceKind(raw: string): UrlKind {
  if ([...raw].some((c) => c < ' ' || c === '\x7f')) return 'invalid';
  if (raw === '*') return 'relative';
  const split = splitScheme(raw);
  if (!split) return 'invalid';
  const { scheme } = split;
  let { rest } = split;
  rest =
    rest.endsWith('?') && rest.indexOf('?') === rest.length - 1 ? rest.slice(0, -1) : rest.split('?')[0]!;
  const kind: UrlKind = scheme === '' ? 'relative' : 'absolute';
  if (!rest.startsWith('/')) {
    if (scheme !== '') return kind;
    if (rest.split('/')[0]!.includes(':')) return 'invalid';
  }
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (!authorityValid(scheme, authority)) return 'invalid';
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  return BAD_ESCAPE.test(rest) ? 'invalid' : kind;
}

function authorityValid(scheme: string, authority: string): boolean {
  const at = authority.lastIndexOf('@');
  if (!hostValid(scheme, authority.slice(at + 1))) return false;
  if (at < 0) return true;
  const userinfo = authority.slice(0, at);
  return USERINFO.test(userinfo) && !BAD_ESCAPE.test(userinfo);
}

const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

function hostValid(scheme: string, host: string): boolean {
  const open = host.lastIndexOf('[');
  if (open > 0) return false;
  if (open === 0) return bracketedHostValid(host);
  const first = host.indexOf(':');
  if (first >= 0) {
    // Only http and https URLs keep to one colon in the host.
    const colon = scheme === 'http' || scheme === 'https' ? first : host.lastIndexOf(':');
    if (!validOptionalPort(host.slice(colon))) return false;
  }
  return unescapeHost(host, 'host') !== undefined;
}

function bracketedHostValid(host: string): boolean {
  const close = host.lastIndexOf(']');
  if (close < 0 || !validOptionalPort(host.slice(close + 1))) return false;
  const hostname = host.slice(1, close);
  const zone = hostname.indexOf('%25');
  const address =
    zone < 0
      ? unescapeHost(hostname, 'host')
      : joinDefined(
          unescapeHost(hostname.slice(0, zone), 'host'),
          unescapeHost(hostname.slice(zone), 'zone'),
        );
  if (address === undefined) return false;
  const parsed = parseAddr(address);
  return !parsed.error && parsed.v6 === true;
}

const joinDefined = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined ? undefined : a + b;

/** unescape in encodeHost or encodeZone mode, or undefined where Go refuses the text. */
function unescapeHost(s: string, mode: 'host' | 'zone'): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      const byte = parseInt(hex, 16);
      if (mode === 'host' && byte < 0x80 && hex !== '25') return undefined;
      const char = String.fromCharCode(byte);
      if (mode === 'zone' && hex !== '25' && char !== ' ' && (byte >= 0x80 || !HOST_ASCII.test(char)))
        return undefined;
      out += char;
      i += 2;
    } else if (c.charCodeAt(0) < 0x80 && !HOST_ASCII.test(c)) return undefined;
    else out += c;
  }
  return out;
}
