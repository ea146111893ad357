/**
 * The simulator's JQL: a faithful subset of the grammar the hub (and a person) would send.
 *
 *   query   := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
 *   or      := and {OR and}      and := unary {AND unary}
 *   unary   := NOT unary | ( or ) | clause
 *   clause  := field op value | field [NOT] IN ( value {, value} ) | field IS [NOT] EMPTY
 *
 * Values are quoted strings or bare words (`ITS`, `1732877091000`, `-5m`). Errors carry Jira's
 * wording, answered as 400 `{errorMessages: [...]}`.
 */

export class JqlError extends Error {
  override readonly name = 'JqlError';
}

export type JqlValue = { quoted: boolean; text: string };
export type JqlOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';
export type JqlExpr =
  | { kind: 'and' | 'or'; items: JqlExpr[] }
  | { kind: 'not'; item: JqlExpr }
  | { kind: 'clause'; field: string; op: JqlOp; values: JqlValue[] };
export interface JqlOrder {
  field: string;
  dir: 'ASC' | 'DESC';
}
export interface JqlQuery {
  where: JqlExpr | null;
  orderBy: JqlOrder[];
}

type Token = { type: 'word' | 'string' | 'op' | 'punct'; text: string; pos: number };

const OPS = ['!=', '>=', '<=', '!~', '=', '>', '<', '~'];

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const ch = jql[i]!;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '"' || ch === "'") {
      let text = '';
      let j = i + 1;
      while (j < jql.length && jql[j] !== ch) {
        if (jql[j] === '\\' && j + 1 < jql.length) j += 1;
        text += jql[j];
        j += 1;
      }
      if (j >= jql.length)
        throw new JqlError(
          `Error in the JQL Query: The quoted string '${text}' has not been completed. (line 1, character ${i + 1})`,
        );
      tokens.push({ type: 'string', text, pos: i });
      i = j + 1;
    } else if ('(),'.includes(ch)) {
      tokens.push({ type: 'punct', text: ch, pos: i });
      i += 1;
    } else {
      const op = OPS.find((o) => jql.startsWith(o, i));
      if (op) {
        tokens.push({ type: 'op', text: op, pos: i });
        i += op.length;
        continue;
      }
      const word = /^[^\s()",'=!<>~]+/.exec(jql.slice(i))?.[0];
      if (!word)
        throw new JqlError(
          `Error in the JQL Query: The character '${ch}' is a reserved JQL character. (line 1, character ${i + 1})`,
        );
      tokens.push({ type: 'word', text: word, pos: i });
      i += word.length;
    }
  }
  return tokens;
}

export function parseJql(jql: string): JqlQuery {
  const tokens = tokenize(jql);
  let at = 0;
  const peek = () => tokens[at];
  const isKw = (t: Token | undefined, kw: string) => t?.type === 'word' && t.text.toUpperCase() === kw;
  const fail = (what: string): never => {
    const t = peek();
    throw new JqlError(
      t
        ? `Error in the JQL Query: Expecting ${what} but got '${t.text}'. (line 1, character ${t.pos + 1})`
        : `Error in the JQL Query: Expecting ${what} before the end of the query.`,
    );
  };
  const next = () => tokens[at++] ?? fail('more input');
  const value = (): JqlValue => {
    const t = next();
    if (t.type !== 'string' && t.type !== 'word') return fail('a value');
    return { quoted: t.type === 'string', text: t.text };
  };
  /** Consumes the keyword if it comes next. */
  const accept = (kw: string) => {
    if (!isKw(peek(), kw)) return false;
    at += 1;
    return true;
  };
  const clause = (): JqlExpr => {
    const field = next();
    if (field.type !== 'word' && field.type !== 'string') return fail('a field name');
    const name = field.text.toLowerCase();
    if (isKw(peek(), 'IS')) {
      at += 1;
      const negate = accept('NOT');
      const v = value();
      if (!['EMPTY', 'NULL'].includes(v.text.toUpperCase())) fail("'EMPTY'");
      return { kind: 'clause', field: name, op: negate ? 'is not' : 'is', values: [] };
    }
    const negate = accept('NOT');
    if (isKw(peek(), 'IN')) {
      at += 1;
      if (next().text !== '(') fail("'('");
      const values = [value()];
      while (peek()?.text === ',') {
        at += 1;
        values.push(value());
      }
      if (next().text !== ')') fail("')'");
      return { kind: 'clause', field: name, op: negate ? 'not in' : 'in', values };
    }
    if (negate) fail("'IN'");
    const op = next();
    if (op.type !== 'op') return fail('an operator');
    return { kind: 'clause', field: name, op: op.text as JqlOp, values: [value()] };
  };
  const unary = (): JqlExpr => {
    if (isKw(peek(), 'NOT')) {
      at += 1;
      return { kind: 'not', item: unary() };
    }
    if (peek()?.text === '(') {
      at += 1;
      const inner = or();
      if (next().text !== ')') fail("')'");
      return inner;
    }
    return clause();
  };
  const chain = (kind: 'and' | 'or', item: () => JqlExpr): JqlExpr => {
    const items = [item()];
    while (isKw(peek(), kind.toUpperCase())) {
      at += 1;
      items.push(item());
    }
    return items.length === 1 ? items[0]! : { kind, items };
  };
  const and = () => chain('and', unary);
  const or = (): JqlExpr => chain('or', and);

  const where = peek() && !isKw(peek(), 'ORDER') ? or() : null;
  const orderBy: JqlOrder[] = [];
  if (isKw(peek(), 'ORDER')) {
    at += 1;
    if (!isKw(next(), 'BY')) fail("'by'");
    do {
      if (orderBy.length > 0) at += 1;
      const field = next();
      if (field.type !== 'word' && field.type !== 'string') fail('a field name');
      const dir =
        isKw(peek(), 'ASC') || isKw(peek(), 'DESC') ? (next().text.toUpperCase() as 'ASC' | 'DESC') : 'ASC';
      orderBy.push({ field: field.text.toLowerCase(), dir });
    } while (peek()?.text === ',');
  }
  if (peek()) fail('the end of the query');
  return { where, orderBy };
}
