package checker

import (
	"path/filepath"
	"strings"

	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
	"github.com/seaworthy-dev/seaworthy/source/project"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// maxFileSize bounds what seaworthy reads as one input file.
const maxFileSize = 8 << 20

// ReadFile reads an input file, refusing huge ones and anything but a
// regular file (see regular.ReadFile).
func ReadFile(path string) ([]byte, error) {
	return regular.ReadFile(path, maxFileSize)
}

// Sources holds the lines of every file findings point at, for source
// excerpts and for the inline directives of non-Dockerfile files.
type Sources map[string][]string

// Lines returns a file's lines, reading it once if nobody has yet.
func (s Sources) Lines(path string) []string {
	if l, ok := s[path]; ok {
		return l
	}
	src, err := ReadFile(path)
	if err != nil {
		s[path] = nil
		return nil
	}
	l := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	s[path] = l
	return l
}

// CheckBuild runs the DF rules on a build's Dockerfile and the rules that
// relate it to its context and package (DI, AP), those that apply to the
// Dockerfile's purpose. Findings may point at
// other files (.dockerignore, package.json, sources); their `# seaworthy
// ignore=` comments and per-path config apply to them.
func CheckBuild(b *project.Build, src []byte, opts Options, sources Sources) (*DockerfileResult, error) {
	opts.forBuild(b)
	f, err := dockerfile.Parse(b.DockerfilePath, src, opts.parseOptions())
	if err != nil {
		return nil, err
	}
	return checkBuild(b, f, opts, sources), nil
}

// checkBuild is CheckBuild of a parsed Dockerfile (opts.Target set).
func checkBuild(b *project.Build, f *dockerfile.File, opts Options, sources Sources) *DockerfileResult {
	f.Context = buildContext(b)
	res := checkDockerfile(f, b, opts)
	sources[b.DockerfilePath] = res.File.Lines
	if b.Ignore != nil {
		sources[b.IgnorePath] = b.Ignore.Lines
	}
	b.Dockerfile = res.File
	findings := runRules(b, b.DockerfilePath, forPurpose(opts.Rules.ForInput(b.InputKind()), res.Purpose.Purpose), opts.today(), opts.settingsFor(b.DockerfilePath))
	dfSupp := DockerfileSuppressions(res.File, opts.Rules)
	kept := findings[:0]
	for _, f := range findings {
		if f.File == b.DockerfilePath {
			if dfSupp.Suppressed(f) {
				continue
			}
		} else if config.CommentSuppressions(opts.Rules, sources.Lines(f.File)).Suppressed(f) {
			continue
		}
		kept = append(kept, f)
	}
	res.Findings = append(res.Findings, opts.applyPolicy(kept)...)
	Sort(res.Findings)
	res.Problems = nodeapp.SourceProblems(b.Package)
	return res
}

// buildContext is the build's context with its named contexts: a
// directory one with its own .dockerignore (as BuildKit reads it), an
// image one by name only.
func buildContext(b *project.Build) *buildcontext.Dir {
	ctx := buildcontext.New(b.ContextDir, b.Ignore)
	for _, n := range b.NamedContexts {
		if n.Dir == "" {
			ctx.AddNamedImage(n.Name)
			continue
		}
		ig, err := dockerignore.Read(filepath.Join(n.Dir, ".dockerignore"))
		if err != nil {
			ig = nil // unusable: read without one
		}
		ctx.AddNamed(n.Name, buildcontext.New(n.Dir, ig))
	}
	return ctx
}
