package project

import "testing"

func TestEvalExpr(t *testing.T) {
	row := map[string]string{"app": "api", "suffix": "amd64"}
	env := map[string]string{"TAG": "v1", "LATER": "${{ github.sha }}"}
	for _, tc := range []struct {
		expr string
		want string // "?" for unknown
	}{
		{"matrix.app", "api"},
		{"matrix.missing", ""},
		{"env.TAG", "v1"},
		{"env.LATER", "?"},
		{"'it''s'", "it's"},
		{"matrix.file || 'Dockerfile'", "Dockerfile"},
		// refly's build-image-release.yml: Dockerfile.slim for api only.
		{"matrix.app == 'api' && '.slim' || ''", ".slim"},
		{"matrix.app == 'web' && '.slim' || ''", ""},
		{"matrix.app != 'web' && '.slim' || ''", ".slim"},
		{"matrix.app == 'API'", "true"},
		{"!(matrix.app == 'api')", "false"},
		{"(matrix.app == 'web' || matrix.suffix == 'amd64') && 'x'", "x"},
		{"matrix.app || github.ref", "api"}, // decided before the unknown
		// Unknown: a context, a function, a number, a bad expression.
		{"github.ref == 'refs/heads/main' && '.slim' || ''", "?"},
		{"matrix.missing || secrets.FILE", "?"},
		{"format('{0}.slim', matrix.app)", "?"},
		{"matrix.node == 18", "?"},
		{"matrix.app ==", "?"},
		{"matrix.app.name", "?"},
		{"(matrix.app", "?"},
	} {
		got, ok := evalExpr(tc.expr, row, env)
		if !ok {
			got = "?"
		}
		if got != tc.want {
			t.Errorf("evalExpr(%q) = %q, want %q", tc.expr, got, tc.want)
		}
	}
	if _, ok := evalExpr("matrix.app", map[string]string{dynamicMatrix: ""}, nil); ok {
		t.Error("a matrix built at run time has no known value")
	}
}
