package gsea

// mt19937 is the 32-bit Mersenne Twister of Matsumoto and Nishimura (1998),
// as std::mt19937 / boost::mt19937 with a single 32-bit seed.
type mt19937 struct {
	s [624]uint32
	i int
}

func newMT(seed uint32) *mt19937 {
	m := &mt19937{}
	m.s[0] = seed
	for i := 1; i < 624; i++ {
		m.s[i] = 1812433253*(m.s[i-1]^(m.s[i-1]>>30)) + uint32(i)
	}
	m.i = 624
	return m
}

func (m *mt19937) next() uint32 {
	if m.i >= 624 {
		for k := 0; k < 624; k++ {
			y := (m.s[k] & 0x80000000) | (m.s[(k+1)%624] & 0x7fffffff)
			v := m.s[(k+397)%624] ^ (y >> 1)
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			m.s[k] = v
		}
		m.i = 0
	}
	y := m.s[m.i]
	m.i++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// uniform returns an integer uniform on [from, to] with fgsea's uid_wrapper:
// draw x until x < 2^32-1 - (2^32-1) % len, return from + x % len.
func (m *mt19937) uniform(from, to int) int {
	l := uint32(to - from + 1)
	const maxVal = ^uint32(0)
	complete := maxVal - maxVal%l
	for {
		x := m.next()
		if x < complete {
			return from + int(x%l)
		}
	}
}

// combination draws k distinct integers from [a, b] as fgsea's combination()
// (src/util.cpp, fgsea >= 1.35.1): rejection sampling when k < n/2, otherwise
// Floyd's algorithm followed by an explicit Fisher–Yates shuffle. used is
// scratch of length >= b-a+1, all false on entry and on return.
func (m *mt19937) combination(a, b, k int, used []bool, v []int) []int {
	v = v[:0]
	n := b - a + 1
	if float64(k) < float64(n)/2 {
		for i := 0; i < k; i++ {
			for {
				x := m.uniform(a, b)
				if !used[x-a] {
					v = append(v, x)
					used[x-a] = true
					break
				}
			}
		}
	} else {
		for r := n - k; r < n; r++ {
			x := m.uniform(0, r)
			if !used[x] {
				v = append(v, a+x)
				used[x] = true
			} else {
				v = append(v, a+r)
				used[r] = true
			}
		}
		for i := len(v) - 1; i > 0; i-- {
			j := m.uniform(0, i)
			v[i], v[j] = v[j], v[i]
		}
	}
	for _, x := range v {
		used[x-a] = false
	}
	return v
}
