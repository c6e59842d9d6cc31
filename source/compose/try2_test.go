package compose

import (
	"fmt"
	"testing"
	"github.com/compose-spec/compose-go/v2/template"
)

func TestTry2(t *testing.T) {
	m := func(k string) (string, bool) { return "", false }
	for _, s := range []string{"${PORT}:${PORT}", "${DATABASE_PORT}:5432", "x${A:-3}y"} {
		out, miss := substitute(s, template.Mapping(m), "0")
		fmt.Printf("%q %v\n", out, miss)
	}
}
