/** The report page's only styling: inline, because the page's CSP allows nothing else. */
export const HTML_REPORT_STYLE = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 960px; padding: 2rem 1.25rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
h4 { font-size: .95rem; margin: 1rem 0 .25rem; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; min-width: 16rem; }
th, td { border: 1px solid var(--line); padding: .3rem .75rem; text-align: left; }
td.count { text-align: right; font-variant-numeric: tabular-nums; }
article.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 1rem 1.25rem; margin: 1rem 0; }
p.prose { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
pre { background: var(--bg-soft); padding: .75rem; border-radius: 4px; overflow-x: auto; margin: 0; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; color: #fff; font-size: .8rem; font-weight: 600; }
.sev-critical { border-left-color: #8b0000; } .badge.sev-critical { background: #8b0000; }
.sev-high { border-left-color: #cf222e; } .badge.sev-high { background: #cf222e; }
.sev-medium { border-left-color: #bc4c00; } .badge.sev-medium { background: #bc4c00; }
.sev-low { border-left-color: #9a6700; } .badge.sev-low { background: #9a6700; }
.sev-info { border-left-color: #0969da; } .badge.sev-info { background: #0969da; }
.sev-unknown { border-left-color: var(--muted); } .badge.sev-unknown { background: var(--muted); }
p.empty { color: var(--muted); }
@media print { article.finding { break-inside: avoid; } }
`;
