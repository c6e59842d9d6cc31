// Package ruledoc renders a rule's documentation page from its metadata.
// The same text is printed by `seaworthy explain` and committed under
// docs/rules/.
package ruledoc

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

var familyNames = map[string]string{
	"DF": "Dockerfile",
	"DI": ".dockerignore",
	"CO": "compose file",
	"AP": "project and application code",
	"IM": "built image",
	"RT": "running container",
}

// Page renders one rule's markdown page.
func Page(r *analysis.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", r.ID, r.Name)
	fmt.Fprintf(&b, "%s.\n\n", capitalize(r.Title))
	fmt.Fprintf(&b, "| | |\n|---|---|\n| family | %s (%s) |\n| reads | %s |\n| default severity | %s |\n| autofix | %s |\n",
		r.Family(), familyNames[r.Family()], r.Check.Input(), r.Severity, yesNo(r.Fixable, "yes, with `seaworthy fix`", "no"))
	if !r.OnImage() {
		fmt.Fprintf(&b, "| applies to | %s |\n", appliesTo(r))
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "## Why\n\n%s\n\n", strings.TrimSpace(r.Doc.Why))
	file := r.Doc.ExampleFile
	if file == "" {
		file = "Dockerfile"
	}
	lang := exampleLanguage(file)
	if file == "image.txtar" && strings.TrimSpace(r.Doc.Bad) != "" {
		b.WriteString("The examples describe an image: `image/config.json` holds its config and history, " +
			"`image/layerN/` the files of its layer N; a file `.wh.NAME` deletes NAME from the layers below, " +
			"and a `mode:` or `size:` line sets a file's mode or pads it to a size.\n\n")
	}
	if strings.TrimSpace(r.Doc.Bad) != "" {
		fmt.Fprintf(&b, "## Bad\n\n```%s\n%s\n```\n\n", lang, strings.TrimRight(r.Doc.Bad, "\n"))
	}
	if strings.TrimSpace(r.Doc.Good) != "" {
		fmt.Fprintf(&b, "## Good\n\n```%s\n%s\n```\n\n", lang, strings.TrimRight(r.Doc.Good, "\n"))
	}
	fmt.Fprintf(&b, "## How to fix\n\n%s\n\n", strings.TrimSpace(r.Doc.Fix))
	if !r.OnImage() {
		b.WriteString("## Applies to\n\n")
		if len(r.Purposes) == 0 {
			b.WriteString("Every file, whatever it is for: production, development, test or example.")
		} else {
			fmt.Fprintf(&b, "%s only; not %s.", capitalize(purposeWords(r.Purposes, "and")), purposeWords(otherPurposes(r.Purposes), "or"))
		}
		if why := strings.TrimSpace(r.Doc.AppliesTo); why != "" {
			b.WriteString(" " + why)
		}
		b.WriteString("\n\nseaworthy tells what a Dockerfile or compose file is for from its header comment, its name, " +
			"what it runs and its folders, and says which files it did not check as production ones. " +
			"`purpose: development` (or production, test, example) in a `.seaworthy.yaml` override sets it, " +
			"and `seaworthy check --production` checks every file as production.\n\n")
	}
	b.WriteString("## How to ignore\n\n")
	switch r.Family() {
	case "DF":
		fmt.Fprintf(&b, "On the line before the instruction:\n\n```dockerfile\n# seaworthy ignore=%s\n```\n\n", r.ID)
		fmt.Fprintf(&b, "For the whole Dockerfile, anywhere in it: `# seaworthy global ignore=%s`.\n\n", r.ID)
	case "CO":
		fmt.Fprintf(&b, "On the line before the key:\n\n```yaml\n# seaworthy ignore=%s\n```\n\n", r.ID)
	case "DI":
		fmt.Fprintf(&b, "In the file the finding points at (the `.dockerignore`, or the Dockerfile when there is none), "+
			"on the line before that line:\n\n```text\n# seaworthy ignore=%s\n```\n\n", r.ID)
		fmt.Fprintf(&b, "For the whole file, anywhere in it: `# seaworthy global ignore=%s`.\n\n", r.ID)
	case "AP":
		fmt.Fprintf(&b, "When the finding is in a JavaScript or TypeScript source, on the line before it:\n\n```js\n// seaworthy ignore=%s\n```\n\n", r.ID)
		fmt.Fprintf(&b, "When it is in a Dockerfile, `# seaworthy ignore=%s` on the line before the instruction. "+
			"package.json and .nvmrc have no comments: use the config file or the flag below.\n\n", r.ID)
	}
	fmt.Fprintf(&b, "For a project, in `.seaworthy.yaml`:\n\n```yaml\nignore: [%s]\n```\n\n", r.ID)
	command := "check"
	switch r.Family() {
	case "RT":
		command = "verify"
	case "IM":
		command = "audit"
	}
	fmt.Fprintf(&b, "For one run: `seaworthy %s --ignore %s`. The rule can also be referred to by its name, `%s`.\n", command, r.ID, r.Name)
	return b.String()
}

// Index renders docs/rules/README.md: the table of every rule.
func Index(reg *analysis.Registry) string {
	var b strings.Builder
	b.WriteString("# Rules\n\nGenerated from the rule registry; `seaworthy rules` prints the same list and `seaworthy explain ID` each page.\n\n")
	b.WriteString("| ID | name | severity | autofix | applies to | title |\n|---|---|---|---|---|---|\n")
	for _, r := range reg.Rules() {
		applies := ""
		if !r.OnImage() {
			applies = r.PurposeList()
		}
		fmt.Fprintf(&b, "| [%s](%s.md) | `%s` | %s | %s | %s | %s |\n", r.ID, r.ID, r.Name, r.Severity, yesNo(r.Fixable, "yes", ""), applies, r.Title)
	}
	return b.String()
}

// appliesTo is the table cell: "all files" or "production and example
// files".
func appliesTo(r *analysis.Rule) string {
	if len(r.Purposes) == 0 {
		return "all files"
	}
	return purposeWords(r.Purposes, "and")
}

// purposeWords: "production and example files" (conj "and").
func purposeWords(ps []analysis.Purpose, conj string) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	switch len(names) {
	case 0:
		return "no files"
	case 1:
		return names[0] + " files"
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1] + " files"
}

// otherPurposes are the purposes not in ps.
func otherPurposes(ps []analysis.Purpose) []analysis.Purpose {
	var out []analysis.Purpose
	for _, p := range analysis.Purposes {
		in := false
		for _, q := range ps {
			in = in || p == q
		}
		if !in {
			out = append(out, p)
		}
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func yesNo(v bool, yes, no string) string {
	if v {
		return yes
	}
	return no
}

// exampleLanguage picks the code-fence language of an example file.
func exampleLanguage(file string) string {
	switch {
	case file == "Dockerfile" || strings.HasSuffix(file, ".Dockerfile"):
		return "dockerfile"
	case strings.HasSuffix(file, ".yaml") || strings.HasSuffix(file, ".yml"):
		return "yaml"
	case strings.HasSuffix(file, ".txtar"):
		return "text"
	case strings.HasSuffix(file, ".json"):
		return "json"
	case strings.HasSuffix(file, ".js") || strings.HasSuffix(file, ".mjs") || strings.HasSuffix(file, ".cjs"):
		return "js"
	case strings.HasSuffix(file, ".ts") || strings.HasSuffix(file, ".mts"):
		return "ts"
	}
	return "text"
}
