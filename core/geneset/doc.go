// Package geneset holds gene sets and the per-sample gene-set scores: GSVA,
// ssGSEA, combined z-score, PLAGE and singscore.
//
// Gene sets come from GMT/GMX files (ReadGMT, ReadGMX) or from the embedded
// reference collections in core/refdata, which use the Set type defined here.
//
// Scores take a genes x samples *dataset.Matrix and return a sets x samples
// Scores value together with the number of each set's genes that were found in
// the matrix. The numerics follow the Bioconductor package GSVA 1.46.0
// (Hänzelmann, Castelo and Guinney 2013, BMC Bioinformatics 14:7,
// doi:10.1186/1471-2105-14-7) as shipped by Debian (R 4.2.2), and singscore
// (Foroutan et al. 2018, BMC Bioinformatics 19:404, doi:10.1186/s12859-018-2435-4).
// Gene-wise work can be split over Options.Workers goroutines; the result is
// bitwise identical whatever the number of workers.
package geneset
