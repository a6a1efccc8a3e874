// Class/id hint patterns. These are the widespread naming conventions of blogs, CMS themes and news
// sites (the same families Readability, boilerpipe and trafilatura key on), not names from any one site.

/** Containers whose class/id says they are page furniture, removed before scoring. */
export const UNLIKELY =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|newsletter/i;

/** Names that rescue an otherwise unlikely container (e.g. `main-header-content`). */
export const MAYBE_CANDIDATE = /and|article|body|column|content|main|mathjax|shadow/i;

/** Class/id words that raise a container's score. */
export const POSITIVE =
  /article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story/i;

/** Class/id words that lower a container's score. */
export const NEGATIVE =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|newsletter|subscribe/i;

/** Share/like bars inside the article. */
export const SHARE = /(\b|_)(share|sharedaddy)(\b|_)/i;

/** ARIA roles of page furniture. */
export const UNLIKELY_ROLES = new Set([
  'menu',
  'menubar',
  'complementary',
  'navigation',
  'alert',
  'alertdialog',
  'dialog',
]);

/** Byline containers. */
export const BYLINE = /byline|author|dateline|writtenby|p-author/i;

/** Embeds worth keeping (their text is nil, but their presence is not boilerplate). */
export const VIDEOS =
  /\/\/(www\.)?((dailymotion|youtube|youtube-nocookie|player\.vimeo|v\.qq)\.com|(archive|upload\.wikimedia)\.org|player\.twitch\.tv)/i;

/** Elements that never carry article text. */
export const JUNK_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'link',
  'meta',
  'iframe',
  'object',
  'embed',
  'canvas',
  'svg',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'dialog',
  'head',
  'title',
]);

/** Elements dropped wherever they are: navigation and side matter. */
export const FURNITURE_TAGS = new Set(['nav', 'aside', 'footer']);

/** Block-level tags: a div holding any of these is a container, not a paragraph. */
export const BLOCK_TAGS = new Set([
  'blockquote',
  'dl',
  'div',
  'img',
  'ol',
  'p',
  'pre',
  'table',
  'ul',
  'section',
  'article',
  'header',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'form',
  'main',
  'hr',
]);

export const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Whole-element texts that are page furniture when they stand alone inside an article. */
export const BOILERPLATE_LINE =
  /^(?:advertisement|advertising|ad|sponsored( content)?|skip advertisement|continue reading( the main story| below)?|story continues below( advertisement)?|read more|read next|related( articles| stories| content| posts)?|recommended( for you)?|share( this)?( article| story| post)?|sign up|subscribe|print|email|follow us)[\s.:!…]*$/i;
