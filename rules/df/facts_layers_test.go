package df

import (
	"strings"
	"testing"
)

// TestSecretFragmentsCoverWords: every secret word and pair holds one of
// the fragments layMaySecretName looks for, so the quick test never
// rejects a secret name.
func TestSecretFragmentsCoverWords(t *testing.T) {
	var words []string
	for w := range laySecretWords {
		words = append(words, w)
	}
	for w := range layWeakSecretWords {
		words = append(words, w)
	}
	for p := range laySecretPairs {
		first, _, _ := strings.Cut(p, "_")
		words = append(words, first)
	}
	for _, w := range words {
		if !containsAny(w, laySecretFragments) {
			t.Errorf("%s holds no fragment of laySecretFragments", w)
		}
	}
	for _, name := range []string{"NPM_TOKEN", "npmToken", "db-password", "AWS_SECRET_ACCESS_KEY", "api.key", "BASIC_AUTH"} {
		if !laySecretName(name) {
			t.Errorf("laySecretName(%q) = false", name)
		}
	}
}
