/** The product token robots.txt groups are matched against. */
export const PRODUCT_TOKEN = 'frameline';

/** The User-Agent frameline sends: `frameline/0.1 (+<contactUrl>)`, so site owners can reach us. */
export function userAgent(contactUrl: string): string {
  return `${PRODUCT_TOKEN}/0.1 (+${contactUrl})`;
}
