// Reads schema.org JSON-LD blocks: finds the object that describes the article (also inside @graph
// and arrays) and takes its headline, authors, date and URL.

const ARTICLE_TYPES =
  /^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference|WebPage|Blog|CreativeWork|Review)$/;

export interface JsonLdArticle {
  headline: string | null;
  /** The object's `name`, which some sites fill with the headline and `headline` with a subtitle. */
  name: string | null;
  authors: string[];
  datePublished: string | null;
  url: string | null;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function asString(v: Json | undefined): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v)) return asString(v[0]);
  if (v && typeof v === 'object') return asString(v['@value'] ?? v['@id'] ?? v.url);
  return null;
}

function types(obj: { [k: string]: Json }): string[] {
  const t = obj['@type'];
  const list = Array.isArray(t) ? t : [t];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/#:]/, ''));
}

function flatten(v: Json, out: { [k: string]: Json }[]): void {
  if (Array.isArray(v)) {
    for (const x of v) flatten(x, out);
  } else if (v && typeof v === 'object') {
    out.push(v);
    if (v['@graph'] !== undefined) flatten(v['@graph'], out);
  }
}

function authorNames(v: Json | undefined, byId: Map<string, { [k: string]: Json }>): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  if (Array.isArray(v)) return v.flatMap((x) => authorNames(x, byId));
  if (typeof v === 'object') {
    let obj = v;
    const id = obj['@id'];
    if (obj.name === undefined && typeof id === 'string') obj = byId.get(id) ?? obj;
    const name = asString(obj.name);
    return name ? [name] : [];
  }
  return [];
}

function rank(obj: { [k: string]: Json }): number {
  const t = types(obj);
  if (t.some((x) => x !== 'WebPage' && x !== 'CreativeWork' && x !== 'Blog' && ARTICLE_TYPES.test(x)))
    return 2;
  if (t.some((x) => ARTICLE_TYPES.test(x))) return 1;
  return 0;
}

/** Parses the JSON-LD script bodies of a page; unreadable blocks are ignored. */
export function readJsonLd(scripts: readonly string[]): JsonLdArticle | null {
  const objects: { [k: string]: Json }[] = [];
  for (const raw of scripts) {
    try {
      // CDATA wrappers and raw newlines inside strings are common in the wild.
      const cleaned = raw.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '').replace(/\s+/g, ' ');
      flatten(JSON.parse(cleaned) as Json, objects);
    } catch {
      // A broken block says nothing; other blocks may still be good.
    }
  }
  const byId = new Map<string, { [k: string]: Json }>();
  for (const o of objects) if (typeof o['@id'] === 'string') byId.set(o['@id'], o);
  let best: { [k: string]: Json } | null = null;
  let bestRank = 0;
  for (const o of objects) {
    const r = rank(o);
    if (r > bestRank) {
      best = o;
      bestRank = r;
    }
  }
  if (best === null) return null;
  const page = best.mainEntityOfPage;
  return {
    headline: asString(best.headline),
    name: asString(best.name),
    authors: authorNames(best.author ?? best.creator, byId),
    datePublished: asString(best.datePublished) ?? asString(best.dateCreated),
    url: asString(best.url) ?? (typeof page === 'string' ? page : asString(page)),
  };
}
