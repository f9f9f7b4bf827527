package genemap

import (
	"bytes"
	"io"
)

func bytesReader() io.Reader { return bytes.NewReader(embedded) }
