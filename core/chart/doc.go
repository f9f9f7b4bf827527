// Package chart draws core/plotdata figures as standalone SVG.
//
// One renderer serves the app (the engine draws in its worker and the page shows
// the markup), the report (figures inlined in the HTML) and the figure files of the
// CLI, so a chart looks the same everywhere.
//
// Conventions:
//   - colours come from the Okabe-Ito palette, which stays distinguishable with the
//     common colour-vision deficiencies (Okabe M, Ito K 2008, "Color Universal
//     Design");
//   - no style attributes or <style> elements: only presentation attributes, so
//     the app's Content Security Policy (no inline styles) does not affect them;
//   - every data mark has class "mark", data-sample and data-patient attributes
//     (when known) and a <title> child, the browser's hover tooltip;
//   - a heatmap of more than HeatmapRasterCells cells draws its cells as one
//     <image class="mark heat-raster"> holding an inline PNG (one pixel per cell,
//     encoded by image/png, identical natively and in WebAssembly) under one
//     invisible <rect class="mark"> band per column with that column's
//     data-sample, data-patient and tooltip; smaller heatmaps draw a <rect> per
//     cell. The app's Content Security Policy allows img-src data:, and
//     report.Check accepts exactly this data:image/png;base64 form;
//   - output is deterministic: coordinates are printed with at most two decimals
//     and jitter is derived from the sample name, so an identical figure gives
//     identical bytes;
//   - NaN and infinite values are not drawn; the count of drawn marks is what the
//     data allow, and very large scatter plots are thinned deterministically with a
//     note (significant or emphasised points are always kept).
package chart
