/**
 * A parser for the small subset of Python that feedparser's `Expect:` lines use: literals (str with
 * escapes, numbers, None/True/False, tuples, lists, dicts), names, subscripts, attributes, calls, comparison
 * chains (`==`, `!=`, `is`, `is not`, `in`, `not in`, `<`, `>`), `not`, `and`, `or` and unary minus.
 */
export type PyNode =
  | { kind: 'lit'; value: PyValue }
  | { kind: 'name'; id: string }
  | { kind: 'sub'; target: PyNode; index: PyNode }
  | { kind: 'attr'; target: PyNode; name: string }
  | { kind: 'call'; fn: PyNode; args: PyNode[] }
  | { kind: 'tuple'; items: PyNode[] }
  | { kind: 'dict'; entries: [PyNode, PyNode][] }
  | { kind: 'not'; operand: PyNode }
  | { kind: 'neg'; operand: PyNode }
  | { kind: 'bool'; op: 'and' | 'or'; operands: PyNode[] }
  | { kind: 'compare'; first: PyNode; rest: { op: string; right: PyNode }[] };

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/**
 * The operands of a logical, comparison or tuple node (`not`, unary minus, `and`/`or`, comparison chains,
 * tuples), or null for the other kinds, which each walker treats in its own way.
 */
export function operandsOf(n: PyNode): PyNode[] | null {
  switch (n.kind) {
    case 'not':
    case 'neg':
      return [n.operand];
    case 'bool':
      return n.operands;
    case 'compare':
      return [n.first, ...n.rest.map((r) => r.right)];
    case 'tuple':
      return n.items;
    default:
      return null;
  }
}

interface Token {
  type: 'str' | 'num' | 'name' | 'op';
  value: string;
}

function unescapePy(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/gs,
    (_, esc: string) => {
      const c = esc[0];
      if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      if (/[0-7]/.test(c ?? '')) return String.fromCodePoint(Number.parseInt(esc, 8));
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '0': '\0',
      };
      return simple[esc] ?? `\\${esc}`;
    },
  );
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const str = /^([uUbBrR]{0,2})('''|"""|'|")/.exec(rest);
    if (str) {
      const raw = /r/i.test(str[1] ?? '');
      const quote = str[2] ?? "'";
      let j = i + str[0].length;
      let body = '';
      while (j < src.length && !src.startsWith(quote, j)) {
        if (src[j] === '\\' && !raw) {
          body += src.slice(j, j + 2);
          j += 2;
        } else {
          body += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new Error(`unterminated string in ${src}`);
      tokens.push({ type: 'str', value: raw ? body : unescapePy(body) });
      i = j + quote.length;
      continue;
    }
    const num = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[lL]?/.exec(rest);
    if (num) {
      tokens.push({ type: 'num', value: num[0].replace(/[lL]$/, '') });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (name) {
      tokens.push({ type: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|[()[\]{}.,:<>-])/.exec(rest);
    if (op) {
      tokens.push({ type: 'op', value: op[0] });
      i += op[0].length;
      continue;
    }
    throw new Error(`cannot tokenise ${JSON.stringify(rest.slice(0, 20))}`);
  }
  return tokens;
}

/** Parses one Python expression into a tree; throws on anything outside the supported subset. */
export function parsePy(src: string): PyNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (offset = 0) => tokens[pos + offset];
  const isOp = (value: string, offset = 0) => peek(offset)?.type === 'op' && peek(offset)?.value === value;
  const isName = (value: string, offset = 0) =>
    peek(offset)?.type === 'name' && peek(offset)?.value === value;
  const expectOp = (value: string) => {
    if (!isOp(value)) throw new Error(`expected ${value} at token ${pos} in ${src}`);
    pos++;
  };

  function orExpr(): PyNode {
    const operands = [andExpr()];
    while (isName('or')) {
      pos++;
      operands.push(andExpr());
    }
    return operands.length === 1 ? (operands[0] as PyNode) : { kind: 'bool', op: 'or', operands };
  }
  function andExpr(): PyNode {
    const operands = [notExpr()];
    while (isName('and')) {
      pos++;
      operands.push(notExpr());
    }
    return operands.length === 1 ? (operands[0] as PyNode) : { kind: 'bool', op: 'and', operands };
  }
  function notExpr(): PyNode {
    if (isName('not')) {
      pos++;
      return { kind: 'not', operand: notExpr() };
    }
    return comparison();
  }
  function comparison(): PyNode {
    const first = unary();
    const rest: { op: string; right: PyNode }[] = [];
    for (;;) {
      let op: string | null = null;
      if (isOp('==') || isOp('!=') || isOp('<') || isOp('>') || isOp('<=') || isOp('>='))
        op = peek()?.value ?? null;
      else if (isName('is') && isName('not', 1)) op = 'is not';
      else if (isName('is')) op = 'is';
      else if (isName('not') && isName('in', 1)) op = 'not in';
      else if (isName('in')) op = 'in';
      if (!op) break;
      pos += op.includes(' ') ? 2 : 1;
      rest.push({ op, right: unary() });
    }
    return rest.length === 0 ? first : { kind: 'compare', first, rest };
  }
  function unary(): PyNode {
    if (isOp('-')) {
      pos++;
      return { kind: 'neg', operand: unary() };
    }
    return postfix(atom());
  }
  function postfix(node: PyNode): PyNode {
    let current = node;
    for (;;) {
      if (isOp('[')) {
        pos++;
        const index = orExpr();
        expectOp(']');
        current = { kind: 'sub', target: current, index };
      } else if (isOp('.')) {
        pos++;
        const name = peek();
        if (name?.type !== 'name') throw new Error(`expected attribute name in ${src}`);
        pos++;
        current = { kind: 'attr', target: current, name: name.value };
      } else if (isOp('(')) {
        pos++;
        const args: PyNode[] = [];
        while (!isOp(')')) {
          args.push(orExpr());
          if (isOp(',')) pos++;
        }
        expectOp(')');
        current = { kind: 'call', fn: current, args };
      } else return current;
    }
  }
  function atom(): PyNode {
    const token = peek();
    if (!token) throw new Error(`unexpected end of ${src}`);
    pos++;
    if (token.type === 'str') {
      let value = token.value;
      while (peek()?.type === 'str') value += (tokens[pos++] as Token).value; // implicit concatenation
      return { kind: 'lit', value };
    }
    if (token.type === 'num') return { kind: 'lit', value: Number(token.value) };
    if (token.type === 'name') {
      if (token.value === 'None') return { kind: 'lit', value: null };
      if (token.value === 'True') return { kind: 'lit', value: true };
      if (token.value === 'False') return { kind: 'lit', value: false };
      return { kind: 'name', id: token.value };
    }
    if (token.value === '(' || token.value === '[') {
      const close = token.value === '(' ? ')' : ']';
      const items: PyNode[] = [];
      let sawComma = false;
      while (!isOp(close)) {
        items.push(orExpr());
        if (isOp(',')) {
          pos++;
          sawComma = true;
        }
      }
      expectOp(close);
      if (token.value === '(' && items.length === 1 && !sawComma) return items[0] as PyNode;
      return { kind: 'tuple', items };
    }
    if (token.value === '{') {
      const entries: [PyNode, PyNode][] = [];
      while (!isOp('}')) {
        const key = orExpr();
        expectOp(':');
        entries.push([key, orExpr()]);
        if (isOp(',')) pos++;
      }
      expectOp('}');
      return { kind: 'dict', entries };
    }
    throw new Error(`unexpected ${token.value} in ${src}`);
  }

  const tree = orExpr();
  if (pos !== tokens.length) throw new Error(`trailing tokens in ${src}`);
  return tree;
}
