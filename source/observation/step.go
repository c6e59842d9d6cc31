package observation

// Step names one step of a verify run: a row of the measurement table
// `seaworthy verify` prints, and the part of a Result an RT rule judges.
type Step string

// The steps, in the order of the measurement table.
const (
	// StepStart is the first container's start (Result.Start).
	StepStart Step = "start"
	// StepReady is its readiness probe (Result.Start).
	StepReady Step = "ready"
	// StepUser is the uid of PID 1 (Result.User).
	StepUser Step = "user"
	// StepInFlight is the request in flight at SIGTERM (Result.InFlight).
	StepInFlight Step = "in-flight request"
	// StepSIGTERM is SIGTERM to the first container (Result.Term).
	StepSIGTERM Step = "SIGTERM"
	// StepDraining is the request sent while it shuts down
	// (Result.Draining).
	StepDraining Step = "draining"
	// StepSIGINT is SIGINT to the second container (Result.Interrupt).
	StepSIGINT Step = "SIGINT"
	// StepReap is the orphaned-child test (Result.Reap).
	StepReap Step = "zombie reaping"
	// StepReadOnly is the third container, with a read-only root
	// filesystem (Result.ReadOnly).
	StepReadOnly Step = "read-only root"
	// StepWrites is the first container's filesystem diff (Result.Writes).
	StepWrites Step = "file writes"
)
