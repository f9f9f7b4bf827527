package engine

import (
	"fmt"

	"github.com/her2het/her2het/core/api"
	"github.com/her2het/her2het/core/genemap"
	"github.com/her2het/her2het/core/refdata"
)

// info lists the embedded reference collections with their citations and licences.
func (e *Engine) info(req api.Request, emit Emit) error {
	in := api.Info{Version: api.Version}
	for _, c := range refdata.Collections() {
		size := fmt.Sprintf("%d sets", c.NSets)
		switch c.Kind {
		case "pam50":
			size = fmt.Sprintf("%d centroids", c.NSets)
		case "progeny":
			size = fmt.Sprintf("%d pathways", c.NSets)
		}
		in.References = append(in.References, api.Reference{ID: c.ID, Name: c.Name, Version: c.Version, Citation: c.Citation, Licence: c.Licence, Size: size})
	}
	in.References = append(in.References, api.Reference{ID: "genemap", Name: "Human gene map", Citation: genemap.Citation, Licence: "NCBI data public domain; org.Hs.eg.db Artistic-2.0; GENCODE open"})
	emit(api.Event{ID: req.ID, Kind: api.EventData, DataType: "info", Data: api.Marshal(in)})
	return nil
}
