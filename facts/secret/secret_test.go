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
