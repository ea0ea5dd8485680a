import { describe, expect, it } from 'vitest';
import { escapeMarkdownBlock, escapeMarkdownInline, markdownFence } from './markdown-text';

describe('Markdown escaping', () => {
  it('escapes inline markup and folds line breaks', () => {
    expect(escapeMarkdownInline('a *b* _c_ `d` [e](f) <g> #h |i| ~j~ &k; !l \\m')).toBe(
      'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\#h \\|i\\| \\~j\\~ \\&k; !l \\\\m',
    );
    expect(escapeMarkdownInline('one\r\ntwo\nthree\rfour\u2028five')).toBe('one two three four five');
  });

  it('leaves ordinary prose readable', () => {
    expect(escapeMarkdownInline('TLS 1.0/1.1 accepted on shop-1.example.com: 42 % of hosts')).toBe(
      'TLS 1.0/1.1 accepted on shop-1.example.com: 42 % of hosts',
    );
  });

  it('escapes line-start markup in blocks, drops indentation and keeps paragraphs', () => {
    expect(escapeMarkdownBlock('- a\n+ b\n= c\n---\n10. d\n2) e\n      code?\n\n\n\nnext para')).toBe(
      '\\- a\n\\+ b\n\\= c\n\\---\n10\\. d\n2\\) e\ncode?\n\nnext para',
    );
    expect(escapeMarkdownBlock('  \n \n')).toBe('');
  });

  it('fences content with more backticks than it contains', () => {
    expect(markdownFence('{}', 'json')).toBe('```json\n{}\n```');
    expect(markdownFence('a ```` b', '')).toBe('`````\na ```` b\n`````');
  });
});
