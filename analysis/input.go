package analysis

// An Input is one kind of thing rules read: a Dockerfile, a build (a
// Dockerfile with its context, ignore file and Node package), a compose
// project, a runtime observation. Each rule reads exactly one kind, which
// it declares through the type its check function takes (see Check); the
// checker runs a rule only on inputs of that kind.
//
// The framework knows no input types: each is defined where it is parsed or
// assembled, and names its kind with InputKind. Adding an input kind is
// adding such a type; nothing here changes.
type Input interface {
	// InputKind names the kind, as `seaworthy rules` shows it. It must not
	// read the receiver: it is called on nil values.
	InputKind() string
}

// A Checker is a rule's check function together with the input kind it
// reads. Make one with Check.
type Checker interface {
	// Input is the kind of input the check reads.
	Input() string
	run(pass *Pass, in Input)
}

// Check makes a Checker from a check function that reads inputs of type T:
//
//	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) { … })
func Check[T Input](run func(pass *Pass, in T)) Checker {
	return typedCheck[T](run)
}

type typedCheck[T Input] func(pass *Pass, in T)

func (c typedCheck[T]) Input() string {
	var zero T
	return zero.InputKind()
}

func (c typedCheck[T]) run(pass *Pass, in Input) {
	if t, ok := in.(T); ok {
		c(pass, t)
	}
}
