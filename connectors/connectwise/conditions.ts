/**
 * The ConnectWise `conditions` grammar (the subset the hub and the simulator use), parsed into
 * a small AST and evaluated against a JSON record. Pure: the simulator filters with it and the
 * tests pin the connector's queries against it.
 *
 *   expr       := and ('or' and)*
 *   and        := primary ('and' primary)*
 *   primary    := '(' expr ')' | comparison
 *   comparison := field op value          field := name ('/' name)*
 *   op         := = != < > <= >= contains like in | not in
 *   value      := "string" | number | true | false | null | [datetime] | '(' value, ... ')'
 *
 * Keywords are case-insensitive. String comparison is case-insensitive, as on CW's SQL Server
 * collation. `like` takes `*` or `%` as wildcards (which one CW uses is UNCONFIRMED).
 */
export type CwConditionValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: Date }
  | { kind: 'list'; items: CwConditionValue[] };

export type CwConditionOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'contains' | 'like' | 'in' | 'not in';

export type CwCondition =
  | { type: 'compare'; field: string[]; op: CwConditionOp; value: CwConditionValue }
  | { type: 'and' | 'or'; left: CwCondition; right: CwCondition };

export class CwConditionSyntaxError extends Error {
  override readonly name = 'CwConditionSyntaxError';
}

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'datetime'; v: Date; at: number }
  | { t: 'punct'; v: string; at: number };

const PUNCT = ['<=', '>=', '!=', '=', '<', '>', '(', ')', ',', '/'];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      const start = i++;
      let out = '';
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        out += input[i++];
      }
      if (i >= input.length) throw new CwConditionSyntaxError(`unterminated string at ${start}`);
      i++;
      tokens.push({ t: 'string', v: out, at: start });
    } else if (ch === '[') {
      const end = input.indexOf(']', i);
      if (end < 0) throw new CwConditionSyntaxError(`unterminated datetime at ${i}`);
      const raw = input.slice(i + 1, end).trim();
      // A datetime without a zone is read as UTC (on-prem semantics are UNCONFIRMED).
      const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
      if (Number.isNaN(date.getTime())) throw new CwConditionSyntaxError(`bad datetime [${raw}] at ${i}`);
      tokens.push({ t: 'datetime', v: date, at: i });
      i = end + 1;
    } else if (/[-\d]/.test(ch) && /^-?\d/.test(input.slice(i, i + 2))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'number', v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'word', v: m[0], at: i });
      i += m[0].length;
    } else {
      const p = PUNCT.find((candidate) => input.startsWith(candidate, i));
      if (!p) throw new CwConditionSyntaxError(`unexpected '${ch}' at ${i}`);
      tokens.push({ t: 'punct', v: p, at: i });
      i += p.length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): CwCondition {
    const expr = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw new CwConditionSyntaxError(`unexpected token at ${extra.at}`);
    return expr;
  }

  private peekWord(word: string, offset = 0): boolean {
    const tok = this.tokens[this.pos + offset];
    return tok?.t === 'word' && tok.v.toLowerCase() === word;
  }

  private peekPunct(p: string): boolean {
    const tok = this.tokens[this.pos];
    return tok?.t === 'punct' && tok.v === p;
  }

  private next(): Token {
    const tok = this.tokens[this.pos++];
    if (!tok) throw new CwConditionSyntaxError('unexpected end of conditions');
    return tok;
  }

  private or(): CwCondition {
    let left = this.and();
    while (this.peekWord('or')) {
      this.pos++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): CwCondition {
    let left = this.primary();
    while (this.peekWord('and')) {
      this.pos++;
      left = { type: 'and', left, right: this.primary() };
    }
    return left;
  }

  private primary(): CwCondition {
    if (this.peekPunct('(')) {
      this.pos++;
      const inner = this.or();
      if (!this.peekPunct(')')) throw new CwConditionSyntaxError('missing )');
      this.pos++;
      return inner;
    }
    const field = this.field();
    const op = this.op();
    const value = op === 'in' || op === 'not in' ? this.list() : this.value();
    return { type: 'compare', field, op, value };
  }

  private field(): string[] {
    const parts: string[] = [];
    for (;;) {
      const tok = this.next();
      if (tok.t !== 'word') throw new CwConditionSyntaxError(`expected a field name at ${tok.at}`);
      parts.push(tok.v);
      if (!this.peekPunct('/')) return parts;
      this.pos++;
    }
  }

  private op(): CwConditionOp {
    if (this.peekWord('not') && this.peekWord('in', 1)) {
      this.pos += 2;
      return 'not in';
    }
    const tok = this.next();
    const v = tok.t === 'punct' || tok.t === 'word' ? tok.v.toLowerCase() : '';
    if (['=', '!=', '<', '>', '<=', '>=', 'contains', 'like', 'in'].includes(v)) return v as CwConditionOp;
    throw new CwConditionSyntaxError(`expected an operator at ${tok.at}`);
  }

  private list(): CwConditionValue {
    if (!this.peekPunct('(')) throw new CwConditionSyntaxError('expected ( after in');
    this.pos++;
    const items = [this.value()];
    while (this.peekPunct(',')) {
      this.pos++;
      items.push(this.value());
    }
    if (!this.peekPunct(')')) throw new CwConditionSyntaxError('missing ) after in list');
    this.pos++;
    return { kind: 'list', items };
  }

  private value(): CwConditionValue {
    const tok = this.next();
    if (tok.t === 'string') return { kind: 'string', value: tok.v };
    if (tok.t === 'number') return { kind: 'number', value: tok.v };
    if (tok.t === 'datetime') return { kind: 'datetime', value: tok.v };
    if (tok.t === 'word') {
      const w = tok.v.toLowerCase();
      if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
      if (w === 'null') return { kind: 'null' };
    }
    throw new CwConditionSyntaxError(`expected a value at ${tok.at}`);
  }
}

/** Parse a `conditions` string; throws `CwConditionSyntaxError` with a position on bad input. */
export function parseCwConditions(input: string): CwCondition {
  return new Parser(tokenize(input)).parse();
}
