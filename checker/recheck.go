package checker

import (
	"errors"
	"fmt"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// Recheck checks one Dockerfile of the run again with new text, as Check
// checked it: with the build context, .dockerignore, package, target and
// policy the run settled, none of them looked up again. It is for editors,
// which re-check the Dockerfile being typed in on every change and the
// whole project less often. The findings are the Dockerfile's build's,
// before findings in a file that several builds share are merged (see
// Check). ok is false when the run checked no Dockerfile at path; the
// error is the one Check would return for the text (an unknown --target).
// The Result is not changed, and Recheck may be called concurrently.
func (r *Result) Recheck(path string, src []byte) (res *DockerfileResult, ok bool, err error) {
	if r.run == nil {
		return nil, false, nil
	}
	want := absOf(path)
	for _, in := range r.run.inputs {
		if absOf(in.path) != want {
			continue
		}
		opts := r.run.opts
		if in.build == nil {
			res, err := CheckDockerfile(in.path, src, opts)
			return res, true, err
		}
		b := *in.build // checking sets b.Dockerfile
		res, err := checkBuildLenient(&b, src, opts)
		if err != nil {
			return nil, true, fmt.Errorf("%s: %v", in.path, err)
		}
		return res, true, nil
	}
	return nil, false, nil
}

// checkBuildLenient is CheckBuild, except that a compose build target that
// names no stage is checked with its last stage as the final one (Check
// warns about it) instead of failing.
func checkBuildLenient(b *project.Build, src []byte, opts Options) (*DockerfileResult, error) {
	res, err := CheckBuild(b, src, opts, Sources{})
	var unknown *dockerfile.ErrUnknownTarget
	if errors.As(err, &unknown) && opts.Target == "" {
		// A build target (compose's, the project's build commands') that
		// names no stage.
		b.Target = ""
		res, err = CheckBuild(b, src, opts, Sources{})
	}
	return res, err
}
