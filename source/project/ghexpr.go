package project

import (
	"regexp"
	"strings"
)

// This file evaluates the GitHub Actions expressions a workflow's build
// steps use to name their files: `matrix.X` from the matrix row, `env.X`
// from the step's environment, 'literals', true, false and null, and the
// operators ==, !=, !, && and || with parentheses, as GitHub does
// (`matrix.app == 'api' && '.slim' || ''` is '.slim' for api, '' for the
// others). Anything else (contexts such as github, secrets or steps,
// function calls, numbers) is unknown, and so is an expression that
// needs its value.

// exprVal is a value: a string or a boolean; known is false when it
// cannot be known.
type exprVal struct {
	s      string
	isBool bool
	b      bool
	known  bool
}

func (v exprVal) truthy() bool {
	if v.isBool {
		return v.b
	}
	return v.s != ""
}

func (v exprVal) String() string {
	if v.isBool {
		if v.b {
			return "true"
		}
		return "false"
	}
	return v.s
}

// exprToken matches a token: a 'literal' (” for a quote), an operator, a
// parenthesis, or a name with dots (matrix.app, env.TAG, true).
var exprToken = regexp.MustCompile(`^\s*('(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][A-Za-z0-9_.-]*)`)

// evalExpr evaluates the text inside `${{ }}`; ok is false when its value
// cannot be known.
func evalExpr(expr string, row, env map[string]string) (string, bool) {
	var toks []string
	for rest := expr; strings.TrimSpace(rest) != ""; {
		m := exprToken.FindStringSubmatch(rest)
		if m == nil {
			return "", false
		}
		toks = append(toks, m[1])
		rest = rest[len(m[0]):]
	}
	p := exprParser{toks: toks, row: row, env: env}
	v, ok := p.or()
	if !ok || p.pos != len(toks) || !v.known {
		return "", false
	}
	return v.String(), true
}

type exprParser struct {
	toks     []string
	pos      int
	row, env map[string]string
}

func (p *exprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

// or: and ('||' and)*; the first truthy operand, else the last.
func (p *exprParser) or() (exprVal, bool) {
	return p.chain("||", p.and, func(v exprVal) bool { return !v.truthy() })
}

// and: cmp ('&&' cmp)*; the first falsy operand, else the last.
func (p *exprParser) and() (exprVal, bool) {
	return p.chain("&&", p.cmp, exprVal.truthy)
}

// chain reads operands joined by op: the value is the right operand when
// goesOn says so of the left, else the left (the right is parsed but does
// not count, as GitHub short-circuits).
func (p *exprParser) chain(op string, operand func() (exprVal, bool), goesOn func(exprVal) bool) (exprVal, bool) {
	v, ok := operand()
	for ok && p.peek() == op {
		p.pos++
		var r exprVal
		if r, ok = operand(); !ok {
			break
		}
		if !v.known || goesOn(v) {
			r.known = r.known && v.known
			v = r
		}
	}
	return v, ok
}

// cmp: unary (('==' | '!=') unary)?; strings compare ignoring case, as
// GitHub does.
func (p *exprParser) cmp() (exprVal, bool) {
	v, ok := p.unary()
	if op := p.peek(); ok && (op == "==" || op == "!=") {
		p.pos++
		var r exprVal
		if r, ok = p.unary(); !ok {
			return v, false
		}
		eq := strings.EqualFold(v.String(), r.String()) && v.isBool == r.isBool
		v = exprVal{isBool: true, b: eq == (op == "=="), known: v.known && r.known}
	}
	return v, ok
}

// unary: '!' unary | '(' or ')' | operand.
func (p *exprParser) unary() (exprVal, bool) {
	switch t := p.peek(); {
	case t == "!":
		p.pos++
		v, ok := p.unary()
		return exprVal{isBool: true, b: !v.truthy(), known: v.known}, ok
	case t == "(":
		p.pos++
		v, ok := p.or()
		if !ok || p.peek() != ")" {
			return v, false
		}
		p.pos++
		return v, true
	case t == "" || t == ")" || t == "==" || t == "!=" || t == "&&" || t == "||":
		return exprVal{}, false
	}
	t := p.toks[p.pos]
	p.pos++
	if p.peek() == "(" { // a function call
		return exprVal{}, false
	}
	return p.operand(t), true
}

// operand is the value of a literal or a name.
func (p *exprParser) operand(t string) exprVal {
	switch t {
	case "true", "false":
		return exprVal{isBool: true, b: t == "true", known: true}
	case "null":
		return exprVal{known: true}
	}
	if strings.HasPrefix(t, "'") {
		return exprVal{s: strings.ReplaceAll(t[1:len(t)-1], "''", "'"), known: true}
	}
	if name, ok := strings.CutPrefix(t, "matrix."); ok && !strings.Contains(name, ".") {
		if _, dynamic := p.row[dynamicMatrix]; dynamic {
			return exprVal{}
		}
		return exprVal{s: p.row[name], known: true} // a property a row lacks is empty
	}
	if name, ok := strings.CutPrefix(t, "env."); ok && !strings.Contains(name, ".") {
		v := p.env[name]
		return exprVal{s: v, known: !strings.Contains(v, "${{")}
	}
	return exprVal{}
}
