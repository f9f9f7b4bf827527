package edger

// minPerRange is the fewest genes (or samples) a goroutine of pool.ForRanges
// takes in this package: smaller ranges cost more to start than they save.
// Each element's result depends only on the element, so results are bitwise
// identical for any number of workers.
const minPerRange = 32
