package checker

import (
	"os"
	"strings"

	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// maxFileSize bounds what seaworthy reads as one input file.
const maxFileSize = 8 << 20

// ReadFile reads an input file, refusing huge ones.
func ReadFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return dockerfile.ReadAll(fh, maxFileSize)
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
// relate it to its context and package (DI, AP). Findings may point at
// other files (.dockerignore, package.json, sources); their `# seaworthy
// ignore=` comments and per-path config apply to them.
func CheckBuild(b *project.Build, src []byte, opts Options, sources Sources) (*DockerfileResult, error) {
	if b.Target != "" && opts.Target == "" {
		opts.Target = b.Target
	}
	res, err := CheckDockerfile(b.DockerfilePath, src, opts)
	if err != nil {
		return nil, err
	}
	sources[b.DockerfilePath] = res.File.Lines
	if b.Ignore != nil {
		sources[b.IgnorePath] = b.Ignore.Lines
	}
	b.Dockerfile = res.File
	findings := RunRules(b, b.DockerfilePath, opts.Rules.ForInput(b.InputKind()), opts.today())
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
	return res, nil
}
