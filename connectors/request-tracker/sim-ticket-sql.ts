/**
 * A TicketSQL subset for the simulator: comparisons joined by AND/OR with parentheses.
 *
 *   Queue = 'General' AND (LastUpdated > '2024-05-01 10:00:00' OR id > 7)
 *   CF.{HubTicketId} = 'hub-1'      Subject LIKE 'printer'      Status != 'resolved'
 *
 * Values are single- or double-quoted (backslash escapes), bare numbers, or NULL. AND binds
 * tighter than OR (UNCONFIRMED for RT; the connector always parenthesises mixed queries).
 * Syntax errors throw `TicketSqlError`, which the simulator answers with 400 like RT does.
 */

export class TicketSqlError extends Error {
  override readonly name = 'TicketSqlError';
}

export type SqlOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'NOT LIKE' | 'IS' | 'IS NOT';

export interface SqlCondition {
  kind: 'condition';
  /** Field name as written (`LastUpdated`), or `CF.{Name}` normalised to `CF.Name`. */
  field: string;
  op: SqlOperator;
  /** null for the NULL keyword. */
  value: string | null;
}

export type SqlNode = SqlCondition | { kind: 'and' | 'or'; left: SqlNode; right: SqlNode };

type Token =
  | { type: 'paren'; value: '(' | ')' }
  | { type: 'op'; value: string }
  | { type: 'string'; value: string }
  | { type: 'word'; value: string };

const OPERATORS = ['>=', '<=', '!=', '<>', '=', '<', '>'];

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: 'paren', value: ch });
      i += 1;
    } else if (ch === "'" || ch === '"') {
      let value = '';
      let j = i + 1;
      for (; j < query.length && query[j] !== ch; j += 1) {
        if (query[j] === '\\' && j + 1 < query.length) j += 1;
        value += query[j];
      }
      if (j >= query.length)
        throw new TicketSqlError(`Unterminated string starting at position ${i} in '${query}'`);
      tokens.push({ type: 'string', value });
      i = j + 1;
    } else if (OPERATORS.some((op) => query.startsWith(op, i))) {
      const op = OPERATORS.find((candidate) => query.startsWith(candidate, i))!;
      tokens.push({ type: 'op', value: op === '<>' ? '!=' : op });
      i += op.length;
    } else {
      // A word: field names (CF.{Name with spaces} included), keywords, bare numbers.
      const match = /^(?:(?:CF|CustomField)\.\{[^}]*\}|[A-Za-z0-9_.\-:]+)/i.exec(query.slice(i));
      if (!match) throw new TicketSqlError(`Unexpected '${ch}' at position ${i} in '${query}'`);
      tokens.push({ type: 'word', value: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function normaliseField(word: string): string {
  const cf = /^(?:CF|CustomField)\.\{(.*)\}$/i.exec(word);
  return cf ? `CF.${cf[1]}` : word;
}

export function parseTicketSql(query: string): SqlNode {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const keyword = (word: string) => {
    const token = peek();
    return token?.type === 'word' && token.value.toUpperCase() === word;
  };

  function expression(): SqlNode {
    let node = term();
    while (keyword('OR')) {
      pos += 1;
      node = { kind: 'or', left: node, right: term() };
    }
    return node;
  }

  function term(): SqlNode {
    let node = factor();
    while (keyword('AND')) {
      pos += 1;
      node = { kind: 'and', left: node, right: factor() };
    }
    return node;
  }

  function factor(): SqlNode {
    const token = peek();
    if (!token) throw new TicketSqlError(`Incomplete query, expected a condition at the end of '${query}'`);
    if (token.type === 'paren' && token.value === '(') {
      pos += 1;
      const inner = expression();
      const close = peek();
      if (close?.type !== 'paren' || close.value !== ')') {
        throw new TicketSqlError(`Incomplete query, missing close paren in '${query}'`);
      }
      pos += 1;
      return inner;
    }
    if (token.type !== 'word') throw new TicketSqlError(`Wrong query, expecting a field name in '${query}'`);
    pos += 1;
    return { kind: 'condition', field: normaliseField(token.value), op: operator(), value: value() };
  }

  function operator(): SqlOperator {
    const token = peek();
    if (token?.type === 'op') {
      pos += 1;
      return token.value as SqlOperator;
    }
    for (const [words, op] of [
      [['NOT', 'LIKE'], 'NOT LIKE'],
      [['LIKE'], 'LIKE'],
      [['IS', 'NOT'], 'IS NOT'],
      [['IS'], 'IS'],
    ] as const) {
      const match = words.every((word, k) => {
        const t = tokens[pos + k];
        return t?.type === 'word' && t.value.toUpperCase() === word;
      });
      if (match) {
        pos += words.length;
        return op;
      }
    }
    throw new TicketSqlError(`Wrong query, expecting an operator in '${query}'`);
  }

  function value(): string | null {
    const token = peek();
    if (!token || token.type === 'paren' || token.type === 'op') {
      throw new TicketSqlError(`Wrong query, expecting a value in '${query}'`);
    }
    pos += 1;
    if (token.type === 'word' && token.value.toUpperCase() === 'NULL') return null;
    return token.value;
  }

  if (tokens.length === 0) throw new TicketSqlError('Empty query');
  const node = expression();
  if (pos < tokens.length)
    throw new TicketSqlError(`Wrong query, unexpected '${tokens[pos]!.value}' in '${query}'`);
  return node;
}
