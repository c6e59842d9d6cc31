// Package im holds the IM rules, which judge a built image as `seaworthy
// audit` reads it (an *imagefs.Image: its config, its history and the
// files of every layer): one file per rule with its metadata, message and
// check, and testdata/<ID>/<case>.txtar cases beside them, each an image
// composed in memory (see package imagetest). Findings name the image as
// their file and have no line; findings about a file also carry its
// layer's digest and its path.
//
// The doc examples of these rules are image descriptions in the same
// txtar form as the cases: image/config.json (the config and history) and
// the files of each layer under image/layerN/.
package im

import "github.com/seaworthy-dev/seaworthy/analysis"

var family analysis.RuleList

// Rules returns every IM rule.
func Rules() []*analysis.Rule { return family.Rules() }

// exampleFile is the form of the rules' doc examples.
const exampleFile = "image.txtar"
