/**
 * Escaping for untrusted text placed in Markdown (CommonMark + GFM). Every ASCII punctuation
 * character may be backslash-escaped in CommonMark, so escaping is always safe; we escape
 * the ones that can start markup anywhere in a line, and the ones that only matter at the
 * start of a line only there, to keep the raw text readable.
 */

// \ ` * _ emphasis/code, [ ] links and images, < > HTML/autolinks/quotes, # headings
// (also closing sequences), | tables, ~ strikethrough, & entity references. "(" and "!"
// need no escape: they only make a link or an image next to a "[" or "]", always escaped.
const INLINE_SIGNIFICANT = /[\\`*_[\]<>#|~&]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** For single-line places (headings, list items, table cells): line breaks become spaces. */
export function escapeMarkdownInline(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(INLINE_SIGNIFICANT, '\\$&');
}

/**
 * For paragraphs of prose: keeps line breaks (as soft breaks), drops leading indentation
 * (which would make an indented code block) and escapes what would start a list, a
 * heading underline or a thematic break at the start of a line. Empty text gives "".
 */
export function escapeMarkdownBlock(text: string): string {
  const lines = text
    .split(LINE_BREAKS)
    .map((line) => escapeLineStart(line.trim().replace(INLINE_SIGNIFICANT, '\\$&')));
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line === '') {
      if (current.length > 0) paragraphs.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) paragraphs.push(current.join('\n'));
  return paragraphs.join('\n\n');
}

function escapeLineStart(line: string): string {
  // "- item", "+ item", "=====" / "-----" (setext underline, thematic break).
  if (/^[-+=]/.test(line)) return `\\${line}`;
  // "1. item", "1) item".
  return line.replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/**
 * A fenced code block holding `content` verbatim: the fence is longer than any run of
 * backticks inside, so nothing in the content can close it early.
 */
export function markdownFence(content: string, infoString: string): string {
  const longestRun = Math.max(0, ...Array.from(content.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${infoString}\n${body}${fence}`;
}
