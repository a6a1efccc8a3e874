import { LineCounter, type Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/**
 * A fast reader for the block-YAML subset that rule files are written in: nested maps and lists by
 * indentation, `key: value`, `- item`, one-line flow lists (`[a, "b c"]`), plain, single- and double-quoted
 * scalars and comments. It builds the same nodes (with source offsets) as `yaml`'s `parseDocument` does for
 * that subset, about ten times faster. It returns null for anything outside the subset (anchors, block
 * scalars, multi-line values, tabs, duplicate keys, ...), and the caller then uses `yaml` itself, whose
 * error messages name lines.
 */
export function parseSimpleYaml(text: string): { root: Node | null; lines: LineCounter } | null {
  const lines = new LineCounter();
  const rows: Row[] = [];
  let start = 0;
  while (start <= text.length) {
    lines.addNewLine(start);
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let indent = 0;
    while (body.charCodeAt(indent) === 0x20) indent++;
    const first = body.charCodeAt(indent);
    if (first === 0x09) return null;
    if (indent < body.length && first !== 0x23) {
      if (body.startsWith('---') || body.startsWith('...') || body.startsWith('%')) return null;
      rows.push({ indent, content: body.slice(indent), offset: start + indent });
    }
    if (end === text.length) break;
    start = end + 1;
  }
  try {
    const parser = new BlockParser(rows, text);
    const root = rows.length === 0 ? null : parser.block(0, (rows[0] as Row).indent);
    if (parser.at !== rows.length) return null;
    return { root, lines };
  } catch (thrown) {
    if (thrown === UNSUPPORTED) return null;
    throw thrown;
  }
}

interface Row {
  indent: number;
  /** The line without its indentation (comments not yet removed). */
  content: string;
  /** Offset of `content` in the text. */
  offset: number;
}

const UNSUPPORTED = Symbol('unsupported');
const fail = (): never => {
  throw UNSUPPORTED;
};

// A key: letters, digits, `_` and `-` (all the rules format uses).
const KEY = /^([A-Za-z_][\w-]*):(?:[ ]+|$)/;
// YAML 1.2 core schema, as `yaml` resolves plain scalars.
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_START = /^[[\]{}&*!|>%@`#,?:-]/;

class BlockParser {
  at = 0;
  constructor(
    private readonly rows: Row[],
    private readonly text: string,
  ) {}

  /** A value written after "key: " or "- " at `offset`: a scalar, or a flow list that may span lines. */
  value(rest: string, offset: number): Node {
    if (!rest.startsWith('[')) {
      this.at++;
      return scalar(rest, offset, false).node;
    }
    const seq = flowList(this.text, offset);
    const end = (seq.range as [number, number, number])[2];
    // Rows the list spans are consumed; after "]" only a comment may follow on its line.
    const lineEnd = this.text.indexOf('\n', end);
    const tail = this.text.slice(end, lineEnd < 0 ? this.text.length : lineEnd).trim();
    if (tail !== '' && !tail.startsWith('#')) fail();
    while (this.at < this.rows.length && (this.rows[this.at] as Row).offset < end) this.at++;
    return seq;
  }

  /** The map or list whose entries start at `indent` on row `this.at`. */
  block(from: number, indent: number): Node {
    this.at = from;
    const row = this.rows[this.at] as Row;
    if (row.indent !== indent) fail();
    return isEntry(row.content) ? this.seq(indent) : this.map(indent, row.content, row.offset);
  }

  seq(indent: number): YAMLSeq {
    const seq = new YAMLSeq();
    const first = this.rows[this.at] as Row;
    let end = first.offset;
    while (this.at < this.rows.length) {
      const row = this.rows[this.at] as Row;
      // A list written at its key's indentation ends at the map's next key.
      if (row.indent < indent || (row.indent === indent && !isEntry(row.content))) break;
      if (row.indent > indent) fail();
      const rest = row.content.slice(1).replace(/^ +/, '');
      const restOffset = row.offset + row.content.length - rest.length;
      let item: Node;
      if (rest === '' || rest.startsWith('#')) {
        this.at++;
        const next = this.rows[this.at];
        if (next === undefined || next.indent <= indent) fail();
        item = this.block(this.at, (next as Row).indent);
      } else if (KEY.test(rest)) {
        // "- id: pytorch" starts a map whose keys sit at the column of "id".
        item = this.map(indent + (restOffset - row.offset), rest, restOffset);
      } else {
        item = this.value(rest, restOffset);
      }
      seq.items.push(item);
      end = (item.range as [number, number, number])[2];
    }
    seq.range = [first.offset, end, end];
    return seq;
  }

  /** A map at `indent`; its first key is `content` at `offset` (possibly inside a "- " entry). */
  map(indent: number, content: string, offset: number): YAMLMap {
    const map = new YAMLMap();
    const seen = new Set<string>();
    let line = content;
    let lineOffset = offset;
    let end = offset;
    for (;;) {
      const m = KEY.exec(line);
      if (m === null) fail();
      const name = (m as RegExpExecArray)[1] as string;
      if (seen.has(name)) fail();
      seen.add(name);
      const key = new Scalar(name);
      key.range = [lineOffset, lineOffset + name.length, lineOffset + name.length];
      const rest = line.slice((m as RegExpExecArray)[0].length);
      let value: Node;
      if (rest === '' || rest.startsWith('#')) {
        this.at++;
        const next = this.rows[this.at];
        // "key:" then a deeper block, or a list written at the key's own indentation.
        // An empty value is left to the full parser (and its error messages).
        if (
          next === undefined ||
          !(next.indent > indent || (next.indent === indent && isEntry(next.content)))
        ) {
          fail();
        }
        // "key:" and, on the next lines, a flow list a formatter wrapped ("[\n  a,\n  b,\n]").
        value = (next as Row).content.startsWith('[')
          ? this.value((next as Row).content, (next as Row).offset)
          : this.block(this.at, (next as Row).indent);
      } else {
        value = this.value(rest, lineOffset + line.length - rest.length);
      }
      map.items.push(new Pair(key, value));
      end = (value.range as [number, number, number])[2];
      const next = this.rows[this.at];
      if (next === undefined || next.indent < indent) break;
      if (next.indent > indent || isEntry(next.content)) {
        // A list at the same indentation ends this map only when it is the parent's next entry.
        if (next.indent === indent && isEntry(next.content)) break;
        fail();
      }
      line = (next as Row).content;
      lineOffset = (next as Row).offset;
    }
    map.range = [offset, end, end];
    return map;
  }
}

function isEntry(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

/** A flow list `[a, "b c"]` starting at `offset` of the whole text; it may span lines (as formatters wrap). */
function flowList(text: string, offset: number): YAMLSeq {
  const seq = new YAMLSeq();
  seq.flow = true;
  let i = offset + 1;
  const skip = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d) i++;
      else if (c === 0x23 && /[ \n]/.test(text[i - 1] ?? '')) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl;
      } else if (c === 0x09) fail();
      else return;
    }
  };
  for (;;) {
    skip();
    if (text[i] === ']') break;
    const lineEnd = text.indexOf('\n', i);
    const { node, length } = scalar(text.slice(i, lineEnd < 0 ? text.length : lineEnd), i, true);
    seq.items.push(node);
    i += length;
    skip();
    if (text[i] === ',') i++;
    else if (text[i] === ']') break;
    else fail();
  }
  seq.range = [offset, i + 1, i + 1];
  return seq;
}

/** One scalar at the start of `text`; `length` is how much of `text` it used (comments not included). */
function scalar(text: string, offset: number, inFlow: boolean): { node: Scalar; length: number } {
  let value: unknown;
  let length: number;
  const q = text[0];
  if (q === '"' || q === "'") {
    let out = '';
    let i = 1;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail();
      if (c === q) {
        if (q === "'" && text[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        break;
      }
      if (q === '"' && c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail();
        }
        continue;
      }
      out += c;
      i++;
    }
    value = out;
    length = i + 1;
    const after = text.slice(length);
    if (!inFlow && after.trim() !== '' && !/^ +#/.test(after)) fail();
  } else {
    // A plain scalar ends at " #" (a comment), and in a flow list at "," or "]".
    let end = text.length;
    const comment = text.indexOf(' #');
    if (comment >= 0) end = comment;
    if (inFlow) {
      const stop = text.slice(0, end).search(/[,\]]/);
      if (stop >= 0) end = stop;
    }
    const raw = text.slice(0, end).replace(/ +$/, '');
    if (raw === '' || SPECIAL_START.test(raw) || raw.includes(': ') || raw.endsWith(':')) fail();
    if (inFlow && /[[{}]/.test(raw)) fail();
    value = resolvePlain(raw);
    length = raw.length;
  }
  const node = new Scalar(value);
  node.range = [offset, offset + length, offset + length];
  return { node, length };
}

function resolvePlain(raw: string): unknown {
  if (/^(?:null|Null|NULL|~)$/.test(raw)) return null;
  if (/^(?:true|True|TRUE)$/.test(raw)) return true;
  if (/^(?:false|False|FALSE)$/.test(raw)) return false;
  // Other number forms (hex, octal, .inf, .nan) are left to the full parser.
  if (/^[-+]?0[box]|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(raw)) fail();
  if (INT.test(raw)) return Number.parseInt(raw, 10);
  if (FLOAT.test(raw)) return Number.parseFloat(raw);
  return raw;
}
