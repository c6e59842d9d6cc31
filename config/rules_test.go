package config

import (
	"errors"
	"testing"
)

func TestSuggest(t *testing.T) {
	reg := testRegistry()
	for key, want := range map[string]string{
		"DF0133":                      "DF013", // one digit too many: the longer common prefix wins over DF003
		"df13":                        "DF013", // zero padding
		"DF0013":                      "DF013",
		"FD013":                       "DF013", // swapped letters
		"DF014":                       "DF013",
		"DF999":                       "",
		"shell-form-comand":           "shell-form-command",
		"Shell-Form-Commands":         "shell-form-command",
		"base-image-untaged":          "base-image-untagged",
		"use-exec-form":               "",
		"DL3070":                      "DL3007",
		"":                            "",
		"base-image-not-digest-pined": "base-image-not-digest-pinned",
		"shell-form":                  "shell-form-command", // a part of exactly one name
		"digest":                      "base-image-not-digest-pinned",
		"base-image":                  "", // a part of two names
		"form":                        "", // too short to say
	} {
		if got := Suggest(reg, key); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestLookupRules(t *testing.T) {
	reg := testRegistry()
	rules, err := LookupRules(reg, "dl3025")
	if err != nil || len(rules) != 1 || rules[0].ID != "DF013" {
		t.Errorf("LookupRules(dl3025) = %v, %v; want DF013", rules, err)
	}
	// A mapped code whose rule the registry lacks names nothing.
	if _, err := LookupRules(reg, "DL3002"); err == nil {
		t.Error("DL3002 (DF011, not in this registry) found")
	}
	_, err = LookupRules(reg, "DL3008")
	var ue *UnknownRuleError
	if !errors.As(err, &ue) || !ue.Hadolint {
		t.Errorf("DL3008: error %v, want an unmapped hadolint code", err)
	}
	_, err = LookupRules(reg, "DF0133")
	if err == nil || err.Error() != `unknown rule "DF0133" (did you mean DF013?)` {
		t.Errorf("DF0133: error %v", err)
	}
}

func TestParseSuggests(t *testing.T) {
	reg := testRegistry()
	_, err := Parse(".seaworthy.yaml", []byte("ignore: [DF003]\nseverity:\n  DF0133: info\n"), reg)
	if err == nil || err.Error() != `.seaworthy.yaml:3: unknown rule "DF0133" (did you mean DF013?)` {
		t.Errorf("error %v", err)
	}
	cfg, err := Parse(".seaworthy.yaml", []byte("ignore: [DL3025]\nseverity: {DL3006: info}\n"), reg)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.For(reg, "Dockerfile", nil)
	if !p.Ignore["DF013"] || p.Severity["DF001"] == 0 {
		t.Errorf("hadolint codes in the config: policy %+v", p)
	}
}
