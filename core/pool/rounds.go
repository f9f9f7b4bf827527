package pool

// RunRounds runs the contiguous ranges parts through kernel name a round of
// p.Size() tasks at a time, so that only one round's encoded inputs and results
// are held at once (the data themselves stay with the caller). encode builds the
// task of range [lo, hi); decode takes the result of the task with index i
// (counting over all rounds) for that range. The first error stops the rounds.
func RunRounds(p Pool, name string, parts [][2]int, encode func(lo, hi int) []byte, decode func(i, lo, hi int, out []byte) error) error {
	size := max(p.Size(), 1)
	for r0 := 0; r0 < len(parts); r0 += size {
		round := parts[r0:min(r0+size, len(parts))]
		tasks := make([][]byte, len(round))
		for i, rg := range round {
			tasks[i] = encode(rg[0], rg[1])
		}
		out, err := p.Run(name, tasks)
		if err != nil {
			return err
		}
		for i, rg := range round {
			if err := decode(r0+i, rg[0], rg[1], out[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
