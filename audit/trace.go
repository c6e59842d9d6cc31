package audit

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Trace maps the image's top layers to the instructions of the
// Dockerfile's last stage that made them (setting Layer.Source to
// "name:line") and returns how many it mapped. Layers and instructions are
// paired from the top down as long as their kinds agree (RUN with RUN,
// COPY and ADD with COPY or ADD; a WORKDIR layer that only one side has is
// skipped): what lies below is the base image's.
func Trace(img *imagefs.Image, f *dockerfile.File, name string) int {
	if len(f.Stages) == 0 {
		return 0
	}
	st := f.Stages[len(f.Stages)-1]
	var ins []*dockerfile.Instruction
	for _, in := range st.Instructions {
		switch in.Keyword {
		case "RUN", "COPY", "ADD", "WORKDIR":
			ins = append(ins, in)
		}
	}
	traced := 0
	i, j := len(img.Layers)-1, len(ins)-1
	for i >= 0 && j >= 0 {
		lk := layerKind(img.Layers[i].CreatedBy)
		dk := kind(ins[j].Keyword)
		switch {
		case lk == dk:
			img.Layers[i].Source = fmt.Sprintf("%s:%d", name, ins[j].StartLine)
			traced++
			i--
			j--
		case lk == "WORKDIR":
			i--
		case dk == "WORKDIR":
			j--
		default:
			return traced
		}
	}
	return traced
}

// layerKind is the kind of instruction a history entry records.
func layerKind(createdBy string) string {
	word, _, _ := strings.Cut(imagefs.Instruction(createdBy), " ")
	return kind(word)
}

func kind(keyword string) string {
	switch keyword {
	case "COPY", "ADD":
		return "COPY"
	}
	return keyword
}
