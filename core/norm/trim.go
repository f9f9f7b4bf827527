package norm

// rankWindow returns the closed interval [lo, hi] of values whose average-tie rank
// (R's rank(x, ties.method = "average")) lies in [loR, hiR], so that
// loR <= rank(x)_i <= hiR  <=>  lo <= x_i <= hi. ok is false when no value
// qualifies. x must not contain NaN; scratch (len >= len(x)) is overwritten.
//
// Ranks are non-decreasing in the value, so the qualifying values form an interval.
// Its ends are found by selection in O(n) instead of sorting: the value at order
// position loR (1-based) qualifies unless its tie group's average rank falls below
// loR, in which case the next larger value does (its rank is above loR); the upper
// end is symmetric. loR and hiR are whole numbers here (floor(n*trim)+1 and
// n+1-that), which this relies on.
func rankWindow(x []float64, loR, hiR float64, scratch []float64) (lo, hi float64, ok bool) {
	n := len(x)
	if n == 0 || loR > hiR || hiR < 1 || loR > float64(n) {
		return 0, 0, false
	}
	pl := int(loR)
	if pl < 1 {
		pl = 1
	}
	ph := int(hiR)
	if ph > n {
		ph = n
	}
	s := scratch[:n]
	copy(s, x)
	v1 := selectK(s, pl-1)
	copy(s, x)
	v2 := selectK(s, ph-1)
	var l1, e1, l2, e2 float64
	next1, prev2 := 0.0, 0.0
	has1, has2 := false, false
	for _, v := range x {
		switch {
		case v < v1:
			l1++
		case v == v1:
			e1++
		default:
			if !has1 || v < next1 {
				next1, has1 = v, true
			}
		}
		switch {
		case v < v2:
			l2++
			if !has2 || v > prev2 {
				prev2, has2 = v, true
			}
		case v == v2:
			e2++
		}
	}
	lo = v1
	if l1+(e1+1)/2 < loR {
		if !has1 {
			return 0, 0, false
		}
		lo = next1
	}
	hi = v2
	if l2+(e2+1)/2 > hiR {
		if !has2 {
			return 0, 0, false
		}
		hi = prev2
	}
	if lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// selectK returns the k-th smallest (0-based) value of s, reordering s
// (Hoare's selection with a median-of-three pivot and three-way partitioning).
func selectK(s []float64, k int) float64 {
	lo, hi := 0, len(s)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		a, b, c := s[lo], s[mid], s[hi]
		p := b
		if (a <= b) == (b <= c) {
			p = b
		} else if (b <= a) == (a <= c) {
			p = a
		} else {
			p = c
		}
		// Dutch national flag partition: [lo,lt) < p, [lt,gt] == p, (gt,hi] > p
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case s[i] < p:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case s[i] > p:
				s[i], s[gt] = s[gt], s[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return p
		}
	}
	return s[k]
}
