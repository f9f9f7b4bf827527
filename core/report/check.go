package report

import (
	"bytes"
	"fmt"
	"strings"
)

// Check reports the first way b fails to be a well-formed, self-contained HTML
// file in the strict subset HTML writes; nil means none. It is a small tokenizer,
// not an HTML5 parser (which would accept much more):
//   - every non-void element is closed explicitly and in order; "/>" closes an
//     element only inside <svg>; comments, the doctype, <style> and <script>
//     bodies are skipped as units; a '<' in text must start a tag and a '&' must
//     start a character reference ("&name;", "&#10;", "&#x1F;");
//   - ids are unique and every href is a fragment ("#id") naming one of them;
//   - nothing can load anything: no script, link, img, iframe, frame, object,
//     embed, base, audio, video, source, track, use, form or input element, and
//     no image element except inside <svg> with an href that is an inline PNG
//     ("data:image/png;base64," then base64 characters only: the raster of a
//     large heatmap, see core/chart), which fetches nothing; no src, srcset, action, formaction, poster, data, background,
//     ping, manifest, codebase or xlink:href attribute; no on* event handler
//     attribute; no meta http-equiv; no url(, @import or @font-face in a
//     <style> body, and no url( or URL (http:, https:, //, data:, javascript:,
//     file:, ftp:) in any attribute other than the text ones (title, alt,
//     class, aria-*, data-*).
//
// The error names the line and column (1-based, in bytes) of the offending
// markup.
func Check(b []byte) error {
	c := checker{b: b, ids: map[string]bool{}}
	return c.run()
}

type checker struct {
	b     []byte
	i     int
	stack []string
	ids   map[string]bool
	hrefs []ref
}

type ref struct {
	target string
	at     int
}

func (c *checker) errf(at int, format string, args ...any) error {
	line := 1 + bytes.Count(c.b[:at], []byte{'\n'})
	col := at + 1
	if k := bytes.LastIndexByte(c.b[:at], '\n'); k >= 0 {
		col = at - k
	}
	return fmt.Errorf("report: %d:%d: %s", line, col, fmt.Sprintf(format, args...))
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

var loadingElements = map[string]bool{"script": true, "link": true, "img": true, "iframe": true, "frame": true,
	"object": true, "embed": true, "base": true, "audio": true, "video": true, "source": true, "track": true,
	"image": true, "use": true, "form": true, "input": true, "applet": true, "portal": true}

var loadingAttrs = map[string]bool{"src": true, "srcset": true, "action": true, "formaction": true,
	"poster": true, "data": true, "background": true, "ping": true, "manifest": true, "codebase": true,
	"xlink:href": true, "lowsrc": true, "dynsrc": true, "longdesc": true}

func (c *checker) inSVG() bool {
	for _, e := range c.stack {
		if e == "svg" {
			return true
		}
	}
	return false
}

func (c *checker) run() error {
	b := c.b
	for c.i < len(b) {
		switch b[c.i] {
		case '<':
			if err := c.markup(); err != nil {
				return err
			}
		case '&':
			if err := c.charRef(); err != nil {
				return err
			}
		default:
			c.i++
		}
	}
	if len(c.stack) > 0 {
		return c.errf(len(b), "<%s> is not closed", c.stack[len(c.stack)-1])
	}
	for _, h := range c.hrefs {
		if !c.ids[h.target] {
			return c.errf(h.at, "href #%s names no id", h.target)
		}
	}
	return nil
}

func (c *checker) charRef() error {
	start := c.i
	j := c.i + 1
	for j < len(c.b) && j-start < 40 && (isAlnum(c.b[j]) || c.b[j] == '#') {
		j++
	}
	if j == start+1 || j >= len(c.b) || c.b[j] != ';' {
		return c.errf(start, "bare '&' (not a character reference)")
	}
	name := string(c.b[start+1 : j])
	if name[0] == '#' {
		digits := name[1:]
		hex := false
		if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
			digits, hex = digits[1:], true
		}
		if digits == "" {
			return c.errf(start, "empty numeric character reference")
		}
		for k := 0; k < len(digits); k++ {
			d := digits[k]
			if !(d >= '0' && d <= '9' || hex && (d >= 'a' && d <= 'f' || d >= 'A' && d <= 'F')) {
				return c.errf(start, "bad numeric character reference &%s;", name)
			}
		}
	} else if strings.Contains(name, "#") {
		return c.errf(start, "bad character reference &%s;", name)
	}
	c.i = j + 1
	return nil
}

func isAlnum(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
}

func isSpace(ch byte) bool { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' }

func (c *checker) markup() error {
	b := c.b
	start := c.i
	rest := b[start:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		k := bytes.Index(rest[4:], []byte("-->"))
		if k < 0 {
			return c.errf(start, "comment is not closed")
		}
		c.i = start + 4 + k + 3
		return nil
	case bytes.HasPrefix(rest, []byte("<!")):
		k := bytes.IndexByte(rest, '>')
		if k < 0 {
			return c.errf(start, "declaration is not closed")
		}
		if start != 0 || !bytes.EqualFold(bytes.TrimSpace(rest[2:k]), []byte("DOCTYPE html")) {
			return c.errf(start, "only <!DOCTYPE html> at the start is expected")
		}
		c.i = start + k + 1
		return nil
	case bytes.HasPrefix(rest, []byte("</")):
		j := start + 2
		for j < len(b) && (isAlnum(b[j]) || b[j] == ':' || b[j] == '-') {
			j++
		}
		name := strings.ToLower(string(b[start+2 : j]))
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if name == "" || j >= len(b) || b[j] != '>' {
			return c.errf(start, "malformed end tag")
		}
		if len(c.stack) == 0 {
			return c.errf(start, "</%s> closes nothing", name)
		}
		if top := c.stack[len(c.stack)-1]; top != name {
			return c.errf(start, "</%s> closes <%s>", name, top)
		}
		c.stack = c.stack[:len(c.stack)-1]
		c.i = j + 1
		return nil
	}
	if len(rest) < 2 || !(rest[1] >= 'a' && rest[1] <= 'z' || rest[1] >= 'A' && rest[1] <= 'Z') {
		return c.errf(start, "bare '<' in text")
	}
	j := start + 1
	for j < len(b) && (isAlnum(b[j]) || b[j] == ':' || b[j] == '-') {
		j++
	}
	name := strings.ToLower(string(b[start+1 : j]))
	svg := c.inSVG() || name == "svg"
	if loadingElements[name] && !(name == "image" && svg) {
		return c.errf(start, "<%s> may load something", name)
	}
	selfClosing := false
	attrs := map[string]bool{}
	for {
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return c.errf(start, "<%s> is not closed by '>'", name)
		}
		if b[j] == '>' {
			j++
			break
		}
		if b[j] == '/' && j+1 < len(b) && b[j+1] == '>' {
			selfClosing = true
			j += 2
			break
		}
		at := j
		for j < len(b) && !isSpace(b[j]) && b[j] != '=' && b[j] != '>' && b[j] != '/' && b[j] != '"' && b[j] != '\'' && b[j] != '<' {
			j++
		}
		if j == at {
			return c.errf(at, "malformed attribute in <%s>", name)
		}
		key := strings.ToLower(string(b[at:j]))
		if attrs[key] {
			return c.errf(at, "attribute %s repeated", key)
		}
		attrs[key] = true
		val := ""
		if j < len(b) && b[j] == '=' {
			j++
			if j >= len(b) {
				return c.errf(at, "attribute %s has no value", key)
			}
			if q := b[j]; q == '"' || q == '\'' {
				k := bytes.IndexByte(b[j+1:], q)
				if k < 0 {
					return c.errf(at, "attribute %s: quote is not closed", key)
				}
				val = string(b[j+1 : j+1+k])
				if strings.Contains(val, "<") {
					return c.errf(at, "attribute %s contains '<'", key)
				}
				j += k + 2
			} else {
				return c.errf(at, "attribute %s is not quoted", key)
			}
		}
		if name == "image" && key == "href" {
			// An SVG image may only show an inline PNG.
			if !inlinePNG(val) {
				return c.errf(start, "<image> may load something: its href is not data:image/png;base64")
			}
			continue
		}
		if err := c.attr(name, key, val, at); err != nil {
			return err
		}
	}
	if name == "image" && !attrs["href"] {
		return c.errf(start, "<image> without an inline PNG href")
	}
	c.i = j
	switch {
	case selfClosing && !svg:
		return c.errf(start, "<%s/> self-closing outside <svg>", name)
	case selfClosing:
		return nil
	case voidElements[name] && !svg:
		return nil
	case name == "style" || name == "script":
		k := bytes.Index(bytes.ToLower(b[c.i:]), []byte("</"+name))
		if k < 0 {
			return c.errf(start, "<%s> is not closed", name)
		}
		body := strings.ToLower(string(b[c.i : c.i+k]))
		for _, bad := range []string{"url(", "@import", "@font-face", "expression("} {
			if p := strings.Index(body, bad); p >= 0 {
				return c.errf(c.i+p, "%s in <%s>", bad, name)
			}
		}
		c.i += k
	}
	c.stack = append(c.stack, name)
	return nil
}

// inlinePNG tells whether v is exactly "data:image/png;base64," followed by
// standard base64 (A-Z, a-z, 0-9, '+', '/', a multiple of 4 characters with at
// most two '=' of padding at the end): an image inside the file, no parameters,
// no whitespace, no other media type.
func inlinePNG(v string) bool {
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(v, prefix) {
		return false
	}
	d := v[len(prefix):]
	if len(d) == 0 || len(d)%4 != 0 {
		return false
	}
	pad := 0
	if strings.HasSuffix(d, "==") {
		pad = 2
	} else if strings.HasSuffix(d, "=") {
		pad = 1
	}
	for i := 0; i < len(d)-pad; i++ {
		ch := d[i]
		if !(isAlnum(ch) || ch == '+' || ch == '/') {
			return false
		}
	}
	return true
}

// textAttr tells the attributes whose values are only text for people or
// scripts (titles, labels, data-* values), which may quote anything.
func textAttr(key string) bool {
	return key == "title" || key == "alt" || key == "class" || strings.HasPrefix(key, "aria-") || strings.HasPrefix(key, "data-")
}

func (c *checker) attr(elem, key, val string, at int) error {
	lv := strings.ToLower(strings.TrimSpace(val))
	switch {
	case loadingAttrs[key]:
		return c.errf(at, "attribute %s on <%s> may load something", key, elem)
	case strings.HasPrefix(key, "on"):
		return c.errf(at, "event handler attribute %s on <%s>", key, elem)
	case key == "http-equiv":
		return c.errf(at, "meta http-equiv")
	case key == "href":
		if !strings.HasPrefix(val, "#") || len(val) < 2 {
			return c.errf(at, "href %q is not a fragment of this file", val)
		}
		c.hrefs = append(c.hrefs, ref{val[1:], at})
	case key == "id":
		if val == "" {
			return c.errf(at, "empty id")
		}
		if c.ids[val] {
			return c.errf(at, "id %q repeated", val)
		}
		c.ids[val] = true
	case key == "style":
		for _, bad := range []string{"url(", "@import", "expression("} {
			if strings.Contains(lv, bad) {
				return c.errf(at, "%s in a style attribute", bad)
			}
		}
	}
	if textAttr(key) {
		return nil // shown or announced, never fetched
	}
	if strings.Contains(lv, "url(") {
		return c.errf(at, "url( in attribute %s", key)
	}
	for _, scheme := range []string{"http:", "https:", "//", "data:", "javascript:", "file:", "ftp:"} {
		if strings.HasPrefix(lv, scheme) {
			return c.errf(at, "attribute %s is a URL", key)
		}
	}
	return nil
}
