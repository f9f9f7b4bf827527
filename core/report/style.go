package report

// stylesheet is the report's inline CSS: system fonts only, no url(), no
// @import. The print rules give an A4 layout that keeps figures and table rows
// whole, drops the screen-only scroll boxes and keeps the synthetic-data banner.
const stylesheet = `:root{--ink:#1b1f24;--muted:#5b6570;--rule:#d5dbe1;--band:#f4f6f8;--accent:#0072B2;--warn:#8a3b00;--warn-bg:#fff4e0}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:78rem;padding:1.5rem 1.25rem 3rem;color:var(--ink);background:#fff;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
h1{font-size:1.8rem;line-height:1.2;margin:.2rem 0 .4rem}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-top:.6rem;border-top:1px solid var(--rule)}
p{margin:.5rem 0;max-width:60rem}
a{color:var(--accent)}
code,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.hash{word-break:break-all;white-space:normal}
table.inputs td:nth-child(4){min-width:18rem}
.muted{color:var(--muted);font-weight:normal}
.masthead{padding-bottom:.8rem}
.subtitle{font-size:1.05rem;color:var(--muted);margin:0}
.generated{font-size:.85rem;color:var(--muted);margin:.2rem 0 0}
.banner{margin:0 0 1rem;padding:.8rem 1rem;border:2px solid var(--warn);border-radius:4px;background:var(--warn-bg);color:var(--warn);font-size:1rem;max-width:none}
.banner strong{font-size:1.15rem;text-transform:uppercase;letter-spacing:.03em;margin-right:.3rem}
.toc{background:var(--band);border:1px solid var(--rule);border-radius:4px;padding:.4rem 1.2rem .8rem}
.toc h2{border:0;margin:.4rem 0;padding:0;font-size:1.05rem}
.toc ol{margin:0;padding-left:1.4rem;columns:2 18rem}
.toc li{break-inside:avoid;margin:.1rem 0}
.skipped h2{color:var(--muted)}
a.top{font-size:.8rem;font-weight:normal;text-decoration:none;margin-left:.4rem;color:var(--muted)}
.skip{color:var(--muted)}
.notes{color:var(--muted);font-size:.9rem;padding-left:1.2rem}
.note{color:var(--muted);font-size:.85rem;margin-top:.2rem}
.figures{display:flex;flex-wrap:wrap;align-items:flex-start;gap:1.4rem 1.6rem;margin:1.2rem 0}
figure{margin:0;padding:0;flex:0 1 auto;min-width:0;max-width:100%;width:fit-content;break-inside:avoid}
.chart svg{display:block;max-width:100%;height:auto}
figcaption{font-size:.9rem;margin-top:.3rem;contain:inline-size}
.missing{padding:.6rem .8rem;background:var(--band);border:1px dashed var(--rule);color:var(--muted)}
dl.fig-params,dl.params{display:grid;grid-template-columns:fit-content(22rem) minmax(0,1fr);gap:.15rem .9rem;margin:.3rem 0}
dl.fig-params{font-size:.8rem;color:var(--muted)}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
.table-wrap{overflow-x:auto;margin:1rem 0 .3rem}
table{border-collapse:collapse;font-size:.82rem}
caption{text-align:left;caption-side:top;padding:.2rem 0 .4rem;font-size:.9rem}
th,td{padding:.2rem .5rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top;white-space:nowrap}
td.long{white-space:normal;min-width:16rem}
thead th{border-bottom:2px solid var(--ink);white-space:nowrap;background:#fff}
tbody tr:nth-child(even){background:var(--band)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.na{color:var(--muted)}
footer{margin-top:3rem;padding-top:.6rem;border-top:1px solid var(--rule);color:var(--muted);font-size:.8rem}
@media print{
@page{size:A4;margin:14mm 12mm}
body{max-width:none;padding:0;font-size:10pt}
a{color:inherit;text-decoration:none}
a.top{display:none}
h2{break-after:avoid;page-break-after:avoid}
section.analysis,section.methods{break-before:page;page-break-before:always}
section.analysis.skipped{break-before:auto;page-break-before:auto}
.toc{break-after:page;page-break-after:always;background:none}
.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.table-wrap{overflow:visible}
.figures{display:block}
figure{margin:0 0 1rem}
thead{display:table-header-group}
tr,figure,dl{break-inside:avoid;page-break-inside:avoid}
tbody tr:nth-child(even){background:none}
footer{break-before:avoid}
}
`

// syntheticPages marks every printed page of a synthetic report (in browsers
// that support page-margin boxes; the banner on the first page is there in all).
const syntheticPages = `@page{@top-center{content:"Synthetic example data - not patient data";font:600 9pt system-ui,sans-serif;color:#8a3b00}}
`
