package secret

import (
	"reflect"
	"testing"
)

func TestEnvFileSecrets(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
		ok        bool
	}{
		// hedgedoc's frontend/.env.test: settings, no secret.
		{"public settings", "NEXT_PUBLIC_USE_MOCK_API=true\nHD_BASE_URL=\"http://127.0.0.1:3001/\"\n", nil, true},
		{"secret value", "# local\nexport JWT_SECRET=9f8e7d6c5b4a\nPORT=3000\n", []string{"JWT_SECRET"}, true},
		{"credential in a URL", "DATABASE_URL=postgres://app:s3cr3t@db.internal:5432/app\n", []string{"DATABASE_URL"}, true},
		{"localhost URL", "DATABASE_URL=postgres://app:app@localhost:5432/app\n", nil, true},
		{"empty and placeholder values", "API_KEY=\nSTRIPE_SECRET_KEY=changeme\nDB_USER=app\n", nil, true},
		{"typed settings", "TOKEN_TTL=15m\nPASSWORD_MIN_LENGTH=12\nPRIVATE_KEY_PATH=/run/secrets/key\n", nil, true},
		{"interpolation is a reference", "NPM_TOKEN=${NPM_TOKEN}\nAUTH_SECRET=${AUTH_SECRET:-}\n", nil, true},
		{"unparseable", "JWT_SECRET=\"unterminated\n", nil, false},
	} {
		got, ok := EnvFileSecrets([]byte(c.src))
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: EnvFileSecrets = %v, %v; want %v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestEnvFileName(t *testing.T) {
	for name, want := range map[string]bool{
		".env": true, ".env.local": true, ".env.production": true, ".env.test": true, ".ENV": true,
		".env.example": false, ".env.production.sample": false, ".env.license": false, ".env.test.license": false,
		".env.sh": false, ".env.ts": false, ".envrc": false, "env": false, "app.env": false,
	} {
		if got := EnvFileName(name); got != want {
			t.Errorf("EnvFileName(%q) = %v, want %v", name, got, want)
		}
	}
}
