// Titles from <title> carry the site's name ("Story | Site", "Site - Story", "Site » Section » Story").
// These rules strip it the way Readability does: drop the last segment, or the first when that leaves
// too little, and keep the original when the result would be too short to be a headline.

const SEPARATOR = / [|\-–—\\/>»] /;
const SEPARATORS_ALL = /[|\-–—\\/>»]+/g;
const HIERARCHICAL = / [\\/>»] /;

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

/** Removes a " | Site" / "Site - " part equal to the site's own name. */
export function stripSiteName(title: string, siteName: string | null): string {
  if (!siteName) return title;
  const site = siteName.trim().toLowerCase();
  const parts = title.split(SEPARATOR);
  if (parts.length < 2) return title;
  const last = parts[parts.length - 1]?.trim().toLowerCase();
  const firstPart = parts[0]?.trim().toLowerCase();
  if (last === site) return title.slice(0, title.lastIndexOf(parts[parts.length - 1] as string) - 3).trim();
  if (firstPart === site) return title.slice((parts[0] as string).length + 3).trim();
  return title;
}

/** Cleans a document <title>; `headings` are the page's h1/h2 texts. */
export function cleanDocumentTitle(original: string, headings: readonly string[]): string {
  let title = original;
  let hierarchical = false;
  if (SEPARATOR.test(original)) {
    hierarchical = HIERARCHICAL.test(original);
    const matches = [...original.matchAll(/ [|\-–—\\/>»] /g)];
    const lastSep = matches[matches.length - 1];
    title = lastSep?.index !== undefined ? original.slice(0, lastSep.index) : original;
    if (wordCount(title) < 3) title = original.replace(/^[^|\-–—\\/>»]*[|\-–—\\/>»]/, '');
  } else if (original.includes(': ')) {
    if (!headings.some((h) => h.trim() === original.trim())) {
      title = original.slice(original.lastIndexOf(':') + 1);
      if (wordCount(title) < 3) title = original.slice(original.indexOf(':') + 1);
      else if (wordCount(original.slice(0, original.indexOf(':'))) > 5) title = original;
    }
  } else if (original.length > 150 || original.length < 15) {
    const h1s = headings.filter((h) => h !== '');
    if (h1s.length === 1) title = h1s[0] as string;
  }
  title = title.replace(/\s+/g, ' ').trim();
  const words = wordCount(title);
  if (words <= 4 && (!hierarchical || words !== wordCount(original.replace(SEPARATORS_ALL, '')) - 1)) {
    title = original;
  }
  return title;
}
