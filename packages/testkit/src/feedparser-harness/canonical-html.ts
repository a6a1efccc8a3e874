import type { ChildNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/**
 * A canonical form of an HTML fragment for comparing two serialisations of the same markup: entities
 * decoded, names lower-cased, attributes sorted, namespace declarations dropped, void elements normalised and
 * whitespace runs collapsed. `<br/>` and `<br />`, `&#X61;` and `a`, attribute order: all compare equal.
 */
export function canonicalHtml(html: string): string {
  const doc = parseDocument(html, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
  });
  return serialise(doc.children).replace(/\s+/g, ' ').trim();
}

function serialise(nodes: ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const attrs = Object.entries(node.attribs)
        .filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:'))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => ` ${name}="${value}"`)
        .join('');
      out += `<${node.name}${attrs}>${serialise(node.children)}</${node.name}>`;
    } else if (node.type === 'cdata') out += serialise(node.children);
  }
  return out;
}
