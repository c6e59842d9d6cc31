package probe

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The protocol between Container (verify's side) and Serve (in the prober
// container) is one line per message over the exec session's stdin and
// stdout:
//
//	request "ID get URL MS"     GET URL with a timeout of MS milliseconds
//	request "ID dial ADDR MS"   open and close a TCP connection to host:port
//	reply   "ID sent"           the GET has been written (at most once, first)
//	reply   "ID {JSON}"         the Result; the last message for ID
//
// IDs are the client's, unique within a session; replies to different
// requests interleave in any order. The prober image may be a seaworthy
// binary of another version (SEAWORTHY_PROBER_BINARY), so the format stays
// as it is.

// Verbs of a request.
const (
	verbGet  = "get"
	verbDial = "dial"
)

// request is one probe the client asks for.
type request struct {
	ID      int
	Verb    string // verbGet or verbDial
	Arg     string // the URL or host:port
	Timeout time.Duration
}

// line is the request as sent, with its newline.
func (q request) line() string {
	return fmt.Sprintf("%d %s %s %d\n", q.ID, q.Verb, q.Arg, q.Timeout.Milliseconds())
}

// parseRequest reads a request line; ok is false for a malformed one,
// which the server ignores. Timeouts below 100 ms are raised to 100 ms.
func parseRequest(line string) (q request, ok bool) {
	f := strings.Fields(line)
	if len(f) != 4 {
		return request{}, false
	}
	id, err := strconv.Atoi(f[0])
	if err != nil {
		return request{}, false
	}
	ms, _ := strconv.Atoi(f[3])
	return request{ID: id, Verb: f[1], Arg: f[2], Timeout: time.Duration(max(ms, 100)) * time.Millisecond}, true
}

// sentBody is the body of the reply that says a GET has been written.
const sentBody = "sent"

// replyLine is a reply as sent, with its newline.
func replyLine(id int, body string) string {
	return strconv.Itoa(id) + " " + body + "\n"
}

// resultBody is the body of the reply that carries a Result.
func resultBody(res Result) string {
	b, _ := json.Marshal(res)
	return string(b)
}

// splitReply splits a reply line into its request ID and body.
func splitReply(line string) (id int, body string, ok bool) {
	idText, body, ok := strings.Cut(line, " ")
	id, err := strconv.Atoi(idText)
	return id, body, ok && err == nil
}

// parseBody reads a reply body: sent, or a Result.
func parseBody(body string) (sent bool, res Result, err error) {
	if body == sentBody {
		return true, Result{}, nil
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		return false, Result{}, fmt.Errorf("prober said %q", body)
	}
	return false, res, nil
}
