/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1, RFC 7235 §2.1):
 *
 *   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 *
 * Several challenges may share one header (comma-separated, like their params), and Node's
 * fetch joins repeated headers with ", ", so the parser tells a new scheme from a param by the
 * `=` that follows a param name.
 */

export interface AuthChallenge {
  /** Lower-cased scheme: `basic`, `bearer`, ... */
  scheme: string;
  /** Params by lower-cased name, values unquoted. */
  params: Record<string, string>;
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^([A-Za-z0-9\-._~+/]+=*)[ \t]*(?:,|$)/;

export function parseAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const n = header.length;
  const skipSpace = (at: number) => {
    while (at < n && (header[at] === " " || header[at] === "\t")) at++;
    return at;
  };
  const readToken = () => {
    const start = i;
    while (i < n && TCHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const readQuoted = () => {
    let value = "";
    i++; // opening quote
    while (i < n && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < n) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote (or end of a malformed header)
    return value;
  };

  while (i < n) {
    while (i < n && (header[i] === " " || header[i] === "\t" || header[i] === ",")) i++;
    if (i >= n) break;
    const name = readToken();
    if (!name) {
      i++; // a stray character: skip it rather than loop forever
      continue;
    }
    const afterName = skipSpace(i);
    if (current && header[afterName] === "=") {
      i = skipSpace(afterName + 1);
      current.params[name.toLowerCase()] = header[i] === '"' ? readQuoted() : readToken();
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    challenges.push(current);
    const token68 = TOKEN68.exec(header.slice(afterName));
    if (token68 && afterName > i) {
      current.token68 = token68[1];
      i = afterName + token68[1]!.length;
    }
  }
  return challenges;
}
