package web

import "github.com/her2het/her2het/core/api"

// Section shows one analysis: summary, parameters, figures and tables.
type Section struct {
	Sec   *api.Section `vugu:"data"`
	Store *Store
}
