package deseq

import "math"

// refitWithoutOutliers is DESeq2 1.38.3's replaceOutliers + refitWithoutOutliers:
// counts with Cook's distance above qf(0.99, p, m-p), in samples whose design
// cell has at least MinReplicatesForReplace samples, are replaced by the 0.2
// trimmed mean of the gene's normalized counts times the size factor
// (truncated to an integer); the genes with any such distance are refitted
// (gene-wise dispersion, the old trend at the new baseMean, the old prior
// variance, MAP, test), and maxCooks is recomputed with replaceable samples
// counting 0.
func (st *state) refitWithoutOutliers() error {
	f := st.f
	m, p, G := st.m, st.p, st.G
	if m <= p {
		return nil
	}
	cutoff := qf(0.99, float64(p), float64(m-p))
	replaceable := nOrMoreInCell(f.X, m, p, f.opts.MinReplicatesForReplace)
	f.Replaceable = replaceable
	f.Replace = make([]bool, G)
	// newCounts is read only at the rows of the genes to refit, which are
	// filled below (the other rows of the fresh allocation are never touched)
	newCounts := make([]float64, G*m)
	buf, nrow := make([]float64, 2*m), make([]float64, m)
	var repl []int
	for g := 0; g < G; g++ {
		if f.AllZero[g] {
			continue
		}
		row := f.Cooks[g*m : (g+1)*m]
		var tm float64
		tmDone := false
		for j, c := range row {
			if c > cutoff {
				if !f.Replace[g] {
					f.Replace[g] = true
					repl = append(repl, g)
					copy(newCounts[g*m:(g+1)*m], f.counts[g*m:(g+1)*m])
				}
				if replaceable[j] {
					if !tmDone {
						normRow(f.counts[g*m:(g+1)*m], f.SizeFactors, nrow)
						tm = trimmedMeanBuf(nrow, 0.2, buf)
						tmDone = true
					}
					newCounts[g*m+j] = math.Trunc(tm * f.SizeFactors[j])
				}
			}
		}
	}
	if len(repl) == 0 {
		return nil
	}
	// base means and variances change only for the replaced genes
	for _, g := range repl {
		bm, bv, az := baseMeansAndVars(newCounts[g*m:(g+1)*m], f.SizeFactors, 1, m)
		f.BaseMean[g], f.BaseVar[g], f.AllZero[g] = bm[0], bv[0], az[0]
	}
	nrefit := len(repl)
	f.Replaced = true
	var refit, newAllZero []int
	for g := 0; g < G; g++ {
		if f.Replace[g] && f.AllZero[g] {
			newAllZero = append(newAllZero, g)
		}
		if f.Replace[g] && !f.AllZero[g] {
			refit = append(refit, g)
		}
	}
	if nrefit > len(newAllZero) {
		st.refit = true
		defer func() { st.refit = false }()
		ge, err := st.geneWise(refit, newCounts, f.BaseMean, f.BaseVar)
		if err != nil {
			return err
		}
		for i, g := range refit {
			f.DispGeneEst[g] = ge.disp[i]
			f.DispGeneIter[g] = ge.iter[i]
			f.DispFit[g] = f.Trend.Eval(f.BaseMean[g])
		}
		if err := st.mapDisp(refit, newCounts, ge.mu, f.DispGeneEst, f.DispFit, f); err != nil {
			return err
		}
		if st.f.test == Wald {
			lambda := make([]float64, p)
			for k := range lambda {
				lambda[k] = noPriorLambda
			}
			o, err := st.fitGLMs(refit, newCounts, f.X, p, f.Dispersion, lambda, false, f.X, nil)
			if err != nil {
				return err
			}
			o.cooks = nil
			st.storeWald(refit, o)
		} else {
			lambda := make([]float64, p)
			for k := range lambda {
				lambda[k] = noPriorLambda
			}
			full, err := st.fitGLMs(refit, newCounts, f.X, p, f.Dispersion, lambda, false, f.X, nil)
			if err != nil {
				return err
			}
			q := len(f.opts.ReducedColnames)
			rl := make([]float64, q)
			for k := range rl {
				rl[k] = noPriorLambda
			}
			red, err := st.fitGLMs(refit, newCounts, f.opts.Reduced, q, f.Dispersion, rl, false, nil, nil)
			if err != nil {
				return err
			}
			st.storeLRT(refit, full, red)
		}
		for _, g := range newAllZero {
			for k := 0; k < p; k++ {
				f.Beta[g*p+k] = math.NaN()
				f.BetaSE[g*p+k] = math.NaN()
				if f.WaldStat != nil {
					f.WaldStat[g*p+k] = math.NaN()
					f.WaldPvalue[g*p+k] = math.NaN()
				}
			}
			f.BetaConv[g] = false
			f.BetaIter[g] = 0
			f.Deviance[g] = math.NaN()
			if f.LRTStat != nil {
				f.LRTStat[g] = math.NaN()
				f.LRTPvalue[g] = math.NaN()
			}
		}
		allRepl := true
		for _, r := range replaceable {
			if !r {
				allRepl = false
			}
		}
		if allRepl {
			f.MaxCooks = nanVec(G)
		} else {
			f.MaxCooks = st.recordMaxCooks(f.Cooks, replaceable)
		}
	}
	return nil
}
