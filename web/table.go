package web

import (
	"fmt"
	"strings"

	"github.com/her2het/her2het/core/api"
	"github.com/vugu/vugu"
)

// Table shows a result table with a filter box, paging and TSV download.
type Table struct {
	Table  *api.TableView `vugu:"data"`
	Filter string
	Shown  int // rows shown; 0 means the default page
}

const pageRows = 50

func (c *Table) onFilter(event vugu.DOMEvent) {
	c.Filter = event.PropString("target", "value")
	c.Shown = 0
}

// matching returns the rows containing the filter text (case-insensitive) in any cell.
func (c *Table) matching() [][]string {
	f := strings.ToLower(strings.TrimSpace(c.Filter))
	if f == "" {
		return c.Table.Rows
	}
	var out [][]string
	for _, r := range c.Table.Rows {
		for _, v := range r {
			if strings.Contains(strings.ToLower(v), f) {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func (c *Table) limit() int {
	if c.Shown <= 0 {
		return pageRows
	}
	return c.Shown
}

func (c *Table) visible() [][]string {
	m := c.matching()
	if len(m) > c.limit() {
		return m[:c.limit()]
	}
	return m
}

func (c *Table) more() bool { return len(c.matching()) > c.limit() }

func (c *Table) countText() string {
	m := len(c.matching())
	if m == len(c.Table.Rows) {
		return fmt.Sprintf("%d rows", m)
	}
	return fmt.Sprintf("%d of %d rows", m, len(c.Table.Rows))
}

func (c *Table) saveTSV() { download(c.Table.ID+".tsv", "text/tab-separated-values", TSV(c.Table)) }

// TSV formats a table as tab-separated text with a header row; tabs and newlines
// inside cells become spaces.
func TSV(t *api.TableView) string {
	var b strings.Builder
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	write := func(r []string) {
		for i, v := range r {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(clean.Replace(v))
		}
		b.WriteByte('\n')
	}
	write(t.Columns)
	for _, r := range t.Rows {
		write(r)
	}
	return b.String()
}
