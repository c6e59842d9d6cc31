package dockerfile

import "github.com/seaworthy-dev/seaworthy/internal/memo"

// Memo returns the table of values derived from the file (facts computed
// once per file and shared by every rule that needs them).
func (f *File) Memo() *memo.Table { return &f.derived }

// Memo returns the table of values derived from the stage (and the stages
// it builds on).
func (s *Stage) Memo() *memo.Table { return &s.derived }
