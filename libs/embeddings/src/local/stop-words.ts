/**
 * English function words that carry no meaning on their own. Without corpus statistics
 * (no IDF) they would make unrelated texts look alike, so they are left out of word and
 * character features; word bigrams keep them, so phrases still count.
 */
// prettier-ignore
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'being', 'by', 'for', 'from', 'has', 'have',
  'in', 'into', 'is', 'it', 'its', 'of', 'on', 'or', 'that', 'the', 'their', 'then', 'there',
  'these', 'this', 'those', 'to', 'was', 'were', 'which', 'will', 'with',
]);
