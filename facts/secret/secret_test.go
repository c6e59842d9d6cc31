package secret

import (
	"strings"
	"testing"
)

// TestSecretFragmentsCoverWords: every secret word and pair holds one of
// the fragments MayBeName looks for, so the quick test never
// rejects a secret name.
func TestSecretFragmentsCoverWords(t *testing.T) {
	var words []string
	for w := range secretWords {
		words = append(words, w)
	}
	for w := range weakSecretWords {
		words = append(words, w)
	}
	for p := range secretPairs {
		first, _, _ := strings.Cut(p, "_")
		words = append(words, first)
	}
	for _, w := range words {
		if !containsAny(w, fragments) {
			t.Errorf("%s holds no fragment of fragments", w)
		}
	}
	for _, name := range []string{"NPM_TOKEN", "npmToken", "db-password", "AWS_SECRET_ACCESS_KEY", "api.key", "BASIC_AUTH"} {
		if !Name(name) {
			t.Errorf("Name(%q) = false", name)
		}
	}
}

func TestValueKinds(t *testing.T) {
	for _, v := range []string{"0", "3600", "1.5", "30s", "5m", "1h30m", "true", "FALSE", "required", "none", "/run/secrets/x", "./certs/key.pem", "60/minute", "100/hour", "10/s", "5/10 minutes"} {
		if _, ok := TypedValue(v); !ok {
			t.Errorf("TypedValue(%q) = false", v)
		}
	}
	for _, v := range []string{"", "abc123realtoken", "sk_live_abc", "s3cr3t", "${API_KEY}", "admin:admin", "30 seconds", "hunter2", "60/abc", "a1b2/minute"} {
		if kind, ok := TypedValue(v); ok {
			t.Errorf("TypedValue(%q) = %s", v, kind)
		}
	}
	for _, v := range []string{"placeholder", "build-time-placeholder-min-32-chars-long", "dummy", "dummy-secret", "changeme", "test", "xxx", "XXXX", "***", "replace-me-with-a-random-string", "change-this-secret", "your-jwt-secret", "YOUR_API_KEY",
		"random string that is unique to every install - just type random characters here!"} {
		if !Placeholder(v) {
			t.Errorf("Placeholder(%q) = false", v)
		}
	}
	for _, v := range []string{"", "x", "abc123realtoken", "sk_test", "testing123", "hunter2", "s3cr3t", "replacement-key-9f8e7d", "dev", "yourself1984", "30 seconds of fame"} {
		if Placeholder(v) {
			t.Errorf("Placeholder(%q) = true", v)
		}
	}
	for _, n := range []string{"NEXT_PUBLIC_API_KEY", "VITE_TOKEN", "REACT_APP_SECRET", "EXPO_PUBLIC_AUTH"} {
		if !PublicName(n) {
			t.Errorf("PublicName(%q) = false", n)
		}
	}
	if PublicName("STRIPE_SECRET_KEY") || PublicName("NEXT_SECRET") {
		t.Error("PublicName of a private name")
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6": "npm_****",
		"secret123": "****",
		"":          "****",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"git clone https://bot:t0k3n@github.com/a/b.git":                          "git clone https://bot:****@github.com/a/b.git",
		"curl -H 'Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789'": "curl -H 'Authorization: token ghp_****'",
		"-----BEGIN RSA PRIVATE KEY-----":                                         "-----BEGIN RSA PRIVATE KEY-----",
		"npm ci":                                                                  "npm ci",
	} {
		if got := MaskCredentials(in); got != want {
			t.Errorf("MaskCredentials(%q) = %q, want %q", in, got, want)
		}
	}
}
