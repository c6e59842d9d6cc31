package df

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Facts shared by the layer and secret rules (DF012, DF022–DF031, DF040):
// which stages reach the shipped image, OS package-manager commands, the
// words of a command as written (for fixes), paths resolved against
// WORKDIR, and what looks like a secret.

// layShipped reports whether the stage's filesystem ends up in a final
// image: it is a final stage or a final stage builds FROM it. Files left in
// other stages are discarded (COPY --from takes only what it names), so
// rules about image size skip them.
func layShipped(f *dockerfile.File, st *dockerfile.Stage) bool {
	return stageFact(st, factShipped, func(st *dockerfile.Stage) bool { return computeShipped(f, st) })
}

func computeShipped(f *dockerfile.File, st *dockerfile.Stage) bool {
	for _, fin := range f.FinalStages() {
		for _, a := range fin.Ancestors() {
			if a == st {
				return true
			}
		}
	}
	return false
}

// layWrappers are commands that run their arguments as a command.
var layWrappers = map[string]bool{"sudo": true, "env": true, "nice": true, "nohup": true, "time": true, "command": true, "exec": true}

// layWords returns the command's words with wrappers (`sudo -E`, `env
// A=b`, `nice -n 5`) removed, so `sudo apt-get install` reads as
// `apt-get install`.
func layWords(c *dockerfile.ShellCommand) []string {
	words := c.Words()
	if !layWrappers[c.Base()] {
		return words // most commands: no wrapper
	}
	for len(words) > 1 && layWrappers[baseName(words[0])] {
		wrapper := baseName(words[0])
		words = words[1:]
		for len(words) > 1 {
			w := words[0]
			switch {
			case strings.HasPrefix(w, "-"):
				words = words[1:]
				// sudo -u user, nice -n 5: the flag's value follows.
				if (wrapper == "sudo" && (w == "-u" || w == "-g" || w == "-C" || w == "-D" || w == "-h" || w == "-p" || w == "-U")) ||
					(wrapper == "nice" && w == "-n") {
					if len(words) > 1 {
						words = words[1:]
					}
				}
				continue
			case wrapper == "env" && strings.Contains(w, "="):
				words = words[1:]
				continue
			}
			break
		}
	}
	return words
}

// layShells are the shells a RUN may hand a script to (`bash install.sh`).
var layShells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true}

// layPkgCmd is an OS package-manager command: apt-get/apt/aptitude or apk.
type layPkgCmd struct {
	Tool string // apt-get, apt, aptitude, apk
	Verb string // install, update, add, …; "" when none
	// Args are the words after the tool name (flags and operands).
	Args []string
}

// layAptFlagsWithValue are apt-get/apt options whose value is the next word.
var layAptFlagsWithValue = map[string]bool{"-o": true, "--option": true, "-t": true, "--target-release": true, "--default-release": true, "-c": true, "--config-file": true}

// layApkFlagsWithValue are apk options whose value is the next word.
var layApkFlagsWithValue = map[string]bool{"-X": true, "--repository": true, "-t": true, "--virtual": true, "-p": true, "--root": true, "--arch": true, "--cache-dir": true, "--keys-dir": true, "--repositories-file": true}

// layPkgOf recognises an OS package-manager command.
func layPkgOf(c *dockerfile.ShellCommand) (layPkgCmd, bool) {
	words := layWords(c)
	tool := baseName(words[0])
	var withValue map[string]bool
	switch tool {
	case "apt-get", "apt", "aptitude":
		withValue = layAptFlagsWithValue
	case "apk":
		withValue = layApkFlagsWithValue
	default:
		return layPkgCmd{}, false
	}
	p := layPkgCmd{Tool: tool, Args: words[1:]}
	for i := 0; i < len(p.Args); i++ {
		a := p.Args[i]
		if withValue[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		p.Verb = a
		break
	}
	return p, true
}

// IsApt reports whether the command is apt-get, apt or aptitude.
func (p layPkgCmd) IsApt() bool { return p.Tool != "apk" }

// Installs reports whether the command installs or upgrades packages.
func (p layPkgCmd) Installs() bool {
	if p.Tool == "apk" {
		return p.Verb == "add" || p.Verb == "upgrade"
	}
	switch p.Verb {
	case "install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall", "safe-upgrade", "satisfy":
		return true
	}
	return false
}

// Has reports whether one of the flags was given.
func (p layPkgCmd) Has(flags ...string) bool {
	for _, a := range p.Args {
		for _, f := range flags {
			if a == f {
				return true
			}
		}
	}
	return false
}

// Packages returns the operands after the verb (package names).
func (p layPkgCmd) Packages() []string {
	var out []string
	seenVerb := false
	withValue := layAptFlagsWithValue
	if p.Tool == "apk" {
		withValue = layApkFlagsWithValue
	}
	for i := 0; i < len(p.Args); i++ {
		a := p.Args[i]
		if withValue[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		if !seenVerb {
			seenVerb = true
			continue
		}
		out = append(out, a)
	}
	return out
}

// layPkgList renders package names for a message: "curl, git and 3 more".
func layPkgList(pkgs []string) string {
	switch {
	case len(pkgs) == 0:
		return "packages"
	case len(pkgs) == 1:
		return pkgs[0]
	case len(pkgs) <= 3:
		return strings.Join(pkgs[:len(pkgs)-1], ", ") + " and " + pkgs[len(pkgs)-1]
	}
	return strings.Join(pkgs[:2], ", ") + " and " + strconv.Itoa(len(pkgs)-2) + " more"
}

// layRemoves reports whether a command of the RUN removes a path under
// one of the prefixes (`rm -rf /var/lib/apt/lists/*`).
func layRemoves(in *dockerfile.Instruction, prefixes ...string) bool {
	if in.Script == nil {
		return false
	}
	for _, c := range in.Script.Commands {
		words := layWords(c)
		if baseName(words[0]) != "rm" {
			continue
		}
		for _, a := range words[1:] {
			for _, p := range prefixes {
				if strings.HasPrefix(a, p) {
					return true
				}
			}
		}
	}
	return false
}

// layRuns returns the RUN instructions of the stage that have a script.
func layRuns(st *dockerfile.Stage) []*dockerfile.Instruction {
	return stageFact(st, factRuns, computeRuns)
}

func computeRuns(st *dockerfile.Stage) []*dockerfile.Instruction {
	var out []*dockerfile.Instruction
	for _, in := range st.Instructions {
		if in.Keyword == "RUN" && in.Script != nil {
			out = append(out, in)
		}
	}
	return out
}

// layToken is a word of a shell command as written in the Dockerfile.
type layToken = dockerfile.SourceWord

// layTokens returns the words of a shell command as written in the
// Dockerfile (see dockerfile.File.SourceWords); nil for heredoc scripts, whose
// fixes this family does not offer.
func layTokens(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) []layToken {
	if len(in.Node.Heredocs) > 0 {
		return nil
	}
	return f.SourceWords(in, c)
}

// layInsertAfter returns an edit inserting text right after the first
// token equal to word, skipping the command name; nil when not found.
func layInsertAfter(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand, word, text string) *analysis.Edit {
	toks := layTokens(f, in, c)
	for i, t := range toks {
		if i > 0 && t.Text == word {
			pos := analysis.Pos{Line: t.Line, Col: t.Col + len(t.Text)}
			return &analysis.Edit{Start: pos, End: pos, NewText: text}
		}
	}
	return nil
}

// layScope is what is in force before an instruction: the WORKDIR and the
// values of ENV and ARG (defaults) variables.
type layScope struct {
	Workdir string
	Vars    map[string]string
}

// Resolve makes a path absolute against the WORKDIR, with known variables
// substituted.
func (s layScope) Resolve(p string) string {
	return layResolve(s.Expand(p), s.Workdir)
}

// Expand substitutes the known variables of a word (`$APP_HOME`,
// `${APP_HOME}`); unknown ones stay as written.
func (s layScope) Expand(w string) string {
	if !strings.Contains(w, "$") {
		return w
	}
	return layVarWord.ReplaceAllStringFunc(w, func(m string) string {
		name := strings.Trim(m, "${}")
		if v, ok := s.Vars[name]; ok && !strings.Contains(v, "$") {
			return v
		}
		return m
	})
}

var layVarWord = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// layScopes returns the scope before each instruction of the stage,
// following the stages it builds on (WORKDIR "/" when none is set).
func layScopes(st *dockerfile.Stage) map[*dockerfile.Instruction]layScope {
	return stageFact(st, factLayScopes, computeLayScopes)
}

func computeLayScopes(st *dockerfile.Stage) map[*dockerfile.Instruction]layScope {
	out := make(map[*dockerfile.Instruction]layScope, len(st.Instructions))
	cur := layScope{Workdir: "/", Vars: map[string]string{}}
	// Scopes share the variable map until ENV/ARG changes it (copy on
	// write): most instructions change nothing. shared is set while a
	// scope holds cur.Vars.
	shared := false
	writable := func() {
		if shared {
			cur.Vars = cloneVars(cur.Vars)
			shared = false
		}
	}
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if chain[i] == st {
				out[in] = layScope{Workdir: cur.Workdir, Vars: cur.Vars}
				shared = true
			}
			switch c := in.Command.(type) {
			case *instructions.WorkdirCommand:
				cur.Workdir = cur.Resolve(c.Path)
			case *instructions.EnvCommand:
				writable()
				for _, kv := range c.Env {
					cur.Vars[kv.Key] = cur.Expand(strings.Trim(kv.Value, `"'`))
				}
			case *instructions.ArgCommand:
				writable()
				for _, kv := range c.Args {
					if kv.Value != nil {
						if _, set := cur.Vars[kv.Key]; !set {
							cur.Vars[kv.Key] = cur.Expand(strings.Trim(*kv.Value, `"'`))
						}
					}
				}
			}
		}
	}
	return out
}

var layBraceVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// layResolve makes p absolute against dir and cleans it; `${X}` is written
// `$X` so both spellings compare equal, and a trailing `/*` or `/.` is
// dropped (it names the directory's content).
func layResolve(p, dir string) string {
	p = strings.Trim(p, `"'`)
	if strings.Contains(p, "${") {
		p = layBraceVar.ReplaceAllString(p, "$$$1")
	}
	if p == "" {
		return dir
	}
	if strings.HasPrefix(p, "~") {
		p = "$HOME" + p[1:]
	}
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "$") {
		p = dir + "/" + p
	}
	p = path.Clean(p)
	for strings.HasSuffix(p, "/*") {
		p = strings.TrimSuffix(p, "/*")
	}
	return p
}

// layHome writes a path under /root or /home/<user> as $HOME/….
func layHome(p string) string {
	if p == "/root" || strings.HasPrefix(p, "/root/") {
		return "$HOME" + strings.TrimPrefix(p, "/root")
	}
	if rest, ok := strings.CutPrefix(p, "/home/"); ok {
		if i := strings.Index(rest, "/"); i >= 0 {
			return "$HOME" + rest[i:]
		}
		return "$HOME"
	}
	return p
}

// layUnder reports whether p is dir or inside it.
func layUnder(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// laySecretWords are name components that mark a secret anywhere in a
// name; layWeakSecretWords only as the last component (`DB_PASS`,
// `BASIC_AUTH`, but not `AUTH_URL` or `PASS_THROUGH`).
var (
	laySecretWords = map[string]bool{
		"TOKEN": true, "TOKENS": true, "SECRET": true, "SECRETS": true, "PASSWORD": true, "PASSWORDS": true,
		"PASSWD": true, "PASSPHRASE": true, "APIKEY": true, "CREDENTIAL": true, "CREDENTIALS": true,
		"PRIVATEKEY": true, "ACCESSKEY": true, "SECRETKEY": true,
	}
	layWeakSecretWords = map[string]bool{"PASS": true, "AUTH": true, "PWD": true}
	// laySecretPairs are two-component secrets: API_KEY, PRIVATE_KEY, ACCESS_KEY.
	laySecretPairs = map[string]bool{"API_KEY": true, "PRIVATE_KEY": true, "ACCESS_KEY": true, "SECRET_KEY": true}
	// layNotSecretLast are last components that make the name about a
	// secret rather than the secret itself (`NPM_TOKEN_FILE`).
	layNotSecretLast = map[string]bool{
		"FILE": true, "FILES": true, "PATH": true, "DIR": true, "URL": true, "URI": true, "HOST": true, "PORT": true,
		"ENDPOINT": true, "NAME": true, "TYPE": true, "MODE": true, "ENABLED": true, "DISABLED": true, "ENABLE": true,
		"DISABLE": true, "METHOD": true, "PROVIDER": true, "STRATEGY": true, "REQUIRED": true, "EXPIRY": true,
		"EXPIRES": true, "EXPIRATION": true, "TTL": true, "TIMEOUT": true, "LENGTH": true, "HEADER": true,
		"SERVER": true, "DOMAIN": true, "ISSUER": true, "AUDIENCE": true, "REALM": true, "SCOPE": true,
		"SCOPES": true, "VERSION": true, "LOCATION": true, "REGION": true, "ALGORITHM": true,
		"ALG": true, "IN": true, "AGE": true, "PREFIX": true, "POLICY": true, "SOURCE": true, "KIND": true,
	}
)

// layNameParts splits a variable name into upper-case components at `_`,
// `-`, `.` and lower-to-upper case changes (`npmToken` → NPM, TOKEN).
func layNameParts(name string) []string {
	var parts []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			parts = append(parts, strings.ToUpper(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == '.':
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	return parts
}

// laySecretName reports whether a variable name looks like it holds a
// secret: TOKEN, SECRET, PASSWORD, API_KEY, … as whole components, so
// `PASSPORT_URL`, `AUTHOR` and `BYPASS` do not match, and names that point
// at a secret (`*_FILE`, `*_PATH`, `*_URL`) do not either.
func laySecretName(name string) bool {
	if !layMaySecretName(name) {
		return false
	}
	parts := layNameParts(name)
	if len(parts) == 0 || layNotSecretLast[parts[len(parts)-1]] {
		return false
	}
	// SECRET_ID, TOKEN_ID name a secret; AWS_ACCESS_KEY_ID is a credential.
	if n := len(parts); n > 1 && parts[n-1] == "ID" && !(n > 2 && parts[n-3] == "ACCESS" && parts[n-2] == "KEY") {
		return false
	}
	for i, p := range parts {
		if laySecretWords[p] {
			return true
		}
		if i+1 < len(parts) && laySecretPairs[p+"_"+parts[i+1]] {
			return true
		}
		if i == len(parts)-1 && layWeakSecretWords[p] {
			// PWD alone is the shell's working directory.
			return !(p == "PWD" && len(parts) == 1)
		}
	}
	return false
}

// laySecretFragments are what a secret name's components contain: each
// secret word and pair holds one. Components are upper-cased substrings of
// the name, so a name whose upper case has none of these is no secret.
var laySecretFragments = []string{"TOKEN", "SECRET", "PASS", "PWD", "AUTH", "CREDENTIAL", "PRIVATE", "ACCESS", "API"}

// layMaySecretName is laySecretName's quick test: false when no component
// can be a secret word.
func layMaySecretName(name string) bool {
	return containsAny(strings.ToUpper(name), laySecretFragments)
}

// layCredentialPatterns recognise credentials embedded in a value.
// Each has the literals one of which every match contains (hints), so
// values without any skip the regexp.
var layCredentialPatterns = []struct {
	kind  string
	hints []string
	re    *regexp.Regexp
}{
	{"a URL with a password", []string{"://"}, regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@$]*:[^/\s@$][^/\s@]*@`)},
	{"a GitHub token", []string{"gh", "github_pat_"}, regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`)},
	{"a Stripe live key", []string{"k_live_"}, regexp.MustCompile(`\b[sr]k_live_[A-Za-z0-9]{10,}`)},
	{"an AWS access key", []string{"AKIA", "ASIA"}, regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"a private key", []string{"-----BEGIN "}, regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY`)},
	{"a Slack token", []string{"xox"}, regexp.MustCompile(`\bxox[baprs]-[A-Za-z0-9-]{10,}`)},
	{"an npm token", []string{"npm_"}, regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// layCredential reports what kind of credential a value embeds. A URL
// password that is a placeholder (`placeholder`, `dummy`, `changeme`, …)
// or for a database on localhost is a build-time stand-in, not a secret.
func layCredential(value string) (string, bool) {
	for i, p := range layCredentialPatterns {
		if !containsAny(value, p.hints) {
			continue
		}
		for _, m := range p.re.FindAllString(value, -1) {
			if i == 0 && layPlaceholderURL(value, m) {
				continue
			}
			return p.kind, true
		}
	}
	return "", false
}

var layPlaceholders = map[string]bool{
	"placeholder": true, "dummy": true, "changeme": true, "change_me": true, "example": true, "password": true,
	"pass": true, "secret": true, "xxx": true, "xxxx": true, "***": true, "test": true, "<password>": true,
}

// layPlaceholderURL: m is the `scheme://user:pass@` prefix of a URL in value.
func layPlaceholderURL(value, m string) bool {
	userinfo := strings.TrimSuffix(m[strings.Index(m, "://")+3:], "@")
	_, pw, _ := strings.Cut(userinfo, ":")
	if layPlaceholders[strings.ToLower(pw)] {
		return true
	}
	rest := value[strings.Index(value, m)+len(m):]
	host := rest
	if i := strings.IndexAny(rest, ":/?#"); i >= 0 {
		host = rest[:i]
	}
	return host == "localhost" || host == "127.0.0.1" || host == "0.0.0.0"
}

// layVarRefs returns the names of the variables a shell word references.
var layVarRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

func layVarRefs(s string) []string {
	var out []string
	if !strings.Contains(s, "$") {
		return out
	}
	for _, m := range layVarRef.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// layArgNames returns the ARG names declared before the first FROM and in
// the stage (and the stages it builds on).
func layArgNames(f *dockerfile.File, st *dockerfile.Stage) map[string]bool {
	out := map[string]bool{}
	add := func(in *dockerfile.Instruction) {
		if a, ok := in.Command.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				out[kv.Key] = true
			}
		}
	}
	for _, in := range f.MetaArgs {
		add(in)
	}
	for _, s := range st.Ancestors() {
		for _, in := range s.Instructions {
			add(in)
		}
	}
	return out
}

// layKeywordEdit replaces the instruction keyword at the start of its
// first line, keeping the way it was written (`add` → `copy`).
func layKeywordEdit(f *dockerfile.File, in *dockerfile.Instruction, newKeyword string) *analysis.Edit {
	line := f.Line(in.StartLine)
	start := len(line) - len(strings.TrimLeft(line, " \t"))
	end := start + len(in.Keyword)
	if end > len(line) || !strings.EqualFold(line[start:end], in.Keyword) {
		return nil
	}
	written := line[start:end]
	text := newKeyword
	switch {
	case written == strings.ToLower(written):
		text = strings.ToLower(newKeyword)
	case written != strings.ToUpper(written):
		text = strings.ToUpper(newKeyword[:1]) + strings.ToLower(newKeyword[1:])
	}
	return &analysis.Edit{
		Start:   analysis.Pos{Line: in.StartLine, Col: start + 1},
		End:     analysis.Pos{Line: in.StartLine, Col: end + 1},
		NewText: text,
	}
}

// layShort shortens command text for a message.
func layShort(s string) string { return layShortN(s, 60) }

// layShortN collapses blanks and cuts s to at most n runes.
func layShortN(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}

func cloneVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}
