package policy

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// Limits on conditions.
const (
	// maxConditionCost bounds the work of evaluating one condition (CEL cost units: about one
	// per operation or list element visited). A condition that exceeds it is an evaluation
	// error, and its rule applies.
	maxConditionCost = 100_000
	// maxConditionSize bounds a condition's length in code points.
	maxConditionSize = 4096
	// A letter whose lists and strings are within these sizes is small: a condition whose
	// estimated cost for every small letter is within maxConditionCost needs no cost tracking
	// on them, which would take about a third of the time of a decision.
	smallList   = 64
	smallString = 512 // bytes
)

// The fields of `letter` as conditions see them. Each is declared as a variable with a
// qualified name (letter.class, …), so that the checker knows every field and its type: a
// misspelt field is an undeclared reference when the policy is compiled, and every declared
// field always has a value when it is evaluated.
const (
	fieldClass      = "letter.class"
	fieldTags       = "letter.tags"
	fieldAddressees = "letter.addressees"
	fieldSubject    = "letter.subject"
	fieldOffice     = "letter.office"
	fieldReference  = "letter.reference"
	fieldMediaType  = "letter.media_type"
	fieldSize       = "letter.size"
	fieldAuthor     = "letter.author"
)

// celEnv is the environment conditions are compiled in.
var celEnv = sync.OnceValue(func() *cel.Env {
	strs := cel.ListType(cel.StringType)
	env, err := cel.NewEnv(
		cel.Variable(fieldClass, cel.StringType),
		cel.Variable(fieldTags, strs),
		cel.Variable(fieldAddressees, strs),
		cel.Variable(fieldSubject, cel.StringType),
		cel.Variable(fieldOffice, cel.StringType),
		cel.Variable(fieldReference, cel.StringType),
		cel.Variable(fieldMediaType, cel.StringType),
		cel.Variable(fieldSize, cel.IntType),
		cel.Variable(fieldAuthor, cel.StringType),
		cel.ParserExpressionSizeLimit(maxConditionSize),
	)
	if err != nil {
		panic("policy: the condition environment: " + err.Error())
	}
	return env
})

// condition is a compiled `when`.
type condition struct {
	// tracked counts the cost of each evaluation and stops at maxConditionCost.
	tracked cel.Program
	// untracked, if not nil, is the same program without the count, for small letters: on
	// them its cost is known not to exceed maxConditionCost, so both give the same result.
	untracked cel.Program
	// literals are the condition's string constants: the labels it compares a letter's with.
	literals []string
	// parts are what it looks for in part of a class or a tag: the text given to startsWith,
	// endsWith or contains, and the literal text of a regular expression (lookalike.go).
	parts []part
}

// compileCondition type-checks src, which must yield a bool. Errors carry their position in
// src (1-based line, 0-based column in code points) when CEL gives one.
func compileCondition(src string) (*condition, []celIssue) {
	env := celEnv()
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		var out []celIssue
		for _, e := range iss.Errors() {
			out = append(out, celIssue{line: e.Location.Line(), col: e.Location.Column(), msg: e.Message})
		}
		return nil, out
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) {
		return nil, []celIssue{{msg: fmt.Sprintf("the condition is of type %s, not bool", t)}}
	}
	c := &condition{}
	native := ast.NativeRep()
	var issues []celIssue
	celast.PreOrderVisit(native.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		switch e.Kind() {
		case celast.LiteralKind:
			if s, ok := e.AsLiteral().(types.String); ok && !slices.Contains(c.literals, string(s)) {
				c.literals = append(c.literals, string(s))
			}
		case celast.CallKind:
			if constantSum(e) {
				// A label compared with a constant built here is not read as a label the
				// policy names: "foreign‐government" (a Unicode hyphen) would not be refused
				// beside "foreign-" + "government", and would leave under the default rule.
				at := native.SourceInfo().GetStartLocation(e.ID())
				issues = append(issues, celIssue{line: at.Line(), col: at.Column(),
					msg: "a condition may not join string constants with +: write a class, a tag or a pattern whole, as one string constant"})
				return
			}
			if is := c.call(native, e.AsCall()); is != nil {
				is.line, is.col = native.SourceInfo().GetStartLocation(e.ID()).Line(), native.SourceInfo().GetStartLocation(e.ID()).Column()
				issues = append(issues, *is)
			}
		case celast.ComprehensionKind:
			// A map's keys come in a different order at each evaluation (cel-go walks a Go
			// map): `{'a': 1, 'b': 2}.map(k, k)[0] == 'a'` held on some evaluations of one
			// letter and not on others, so that releasing again could escape the rule, and
			// where the cost limit stops a walk depended on the order too.
			if r := e.AsComprehension().IterRange(); native.GetType(r.ID()).Kind() != types.ListKind {
				at := native.SourceInfo().GetStartLocation(r.ID())
				issues = append(issues, celIssue{line: at.Line(), col: at.Column(),
					msg: "a condition may walk only lists (all, exists, exists_one, map, filter): the keys of a map come in no fixed order, and the condition would hold on some evaluations and not on others"})
			}
		}
	}))
	if issues != nil {
		return nil, issues
	}
	var err error
	if c.tracked, err = env.Program(ast, cel.CostLimit(maxConditionCost), cel.EvalOptions(cel.OptOptimize)); err != nil {
		return nil, []celIssue{{msg: err.Error()}}
	}
	if est, err := env.EstimateCost(ast, smallLetter{}); err == nil && est.Max <= maxConditionCost {
		if c.untracked, err = env.Program(ast, cel.EvalOptions(cel.OptOptimize)); err != nil {
			return nil, []celIssue{{msg: err.Error()}}
		}
	}
	return c, nil
}

// call checks a call of the condition and records what it looks for in part of a label.
// The pattern of `matches` must be a string constant: one taken from the letter is the
// drafter's to write (a subject `.*` matches every class), and a regular expression is
// compiled at every evaluation, work CEL's cost does not count (`\pL{1000}`, nine characters,
// takes a tenth of a millisecond; over thousands of addressees, seconds).
func (c *condition) call(a *celast.AST, call celast.CallExpr) *celIssue {
	args := call.Args()
	recv, arg := call.Target(), celast.Expr(nil)
	switch {
	case call.IsMemberFunction() && len(args) == 1:
		arg = args[0]
	case !call.IsMemberFunction() && len(args) == 2:
		recv, arg = args[0], args[1]
	default:
		return nil
	}
	var lit string
	if arg.Kind() == celast.LiteralKind {
		if s, ok := arg.AsLiteral().(types.String); ok {
			lit = string(s)
		}
	}
	switch fn := call.FunctionName(); {
	case fn == "matches" && arg.Kind() != celast.LiteralKind:
		return &celIssue{msg: "the pattern of matches must be a string constant: a pattern taken from the letter, or built from it, is the drafter's to write"}
	case !labelReceiver(a, recv) || lit == "":
	case fn == "startsWith" && call.IsMemberFunction():
		c.parts = append(c.parts, part{text: lit, at: atStart})
	case fn == "endsWith" && call.IsMemberFunction():
		c.parts = append(c.parts, part{text: lit, at: atEnd})
	case fn == "contains" && call.IsMemberFunction():
		c.parts = append(c.parts, part{text: lit, at: inside})
	case fn == "matches":
		c.parts = append(c.parts, regexpParts(lit)...)
		if re, err := regexp.Compile(lit); err == nil {
			c.parts = append(c.parts, part{text: lit, at: whole, re: re})
		}
	}
	return nil
}

// constantSum reports whether e joins string constants with +, at any depth.
func constantSum(e celast.Expr) bool {
	if e.Kind() != celast.CallKind || e.AsCall().FunctionName() != operators.Add {
		return false
	}
	for _, a := range e.AsCall().Args() {
		if a.Kind() == celast.LiteralKind {
			if _, ok := a.AsLiteral().(types.String); !ok {
				return false
			}
		} else if !constantSum(a) {
			return false
		}
	}
	return true
}

// labelReceiver reports whether e may be a class or a tag: letter.class, or a variable of a
// macro (`t` in letter.tags.exists(t, …), or over the addressees, which it cannot tell apart),
// not another field of the letter such as the subject.
func labelReceiver(a *celast.AST, e celast.Expr) bool {
	// A tag reached by index (letter.tags[0]) is a label too.
	if e.Kind() == celast.CallKind && e.AsCall().FunctionName() == operators.Index && len(e.AsCall().Args()) == 2 {
		e = e.AsCall().Args()[0]
		ref := a.ReferenceMap()[e.ID()]
		return ref != nil && ref.Name == fieldTags || e.Kind() == celast.SelectKind && e.AsSelect().FieldName() == "tags" &&
			e.AsSelect().Operand().Kind() == celast.IdentKind && e.AsSelect().Operand().AsIdent() == "letter"
	}
	name := ""
	if ref := a.ReferenceMap()[e.ID()]; ref != nil && ref.Name != "" {
		name = ref.Name
	} else if e.Kind() == celast.IdentKind {
		name = e.AsIdent()
	}
	return name == fieldClass || name != "" && !strings.HasPrefix(name, "letter.")
}

// regexpParts returns the literal text of a regular expression, each run as a part a matching
// label holds; none for a pattern that does not parse (the program's compilation reports it).
func regexpParts(pattern string) []part {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	var out []part
	var walk func(re *syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		if re.Op == syntax.OpLiteral {
			q := part{text: string(re.Rune), at: inside, fold: re.Flags&syntax.FoldCase != 0}
			if q.fold {
				q.text = strings.ToLower(q.text) // the parser keeps a folded literal in capitals
			}
			out = append(out, q)
		}
		for _, sub := range re.Sub {
			walk(sub)
		}
	}
	walk(re)
	return out
}

// smallLetter bounds the sizes of the fields of a small letter for cost estimates.
type smallLetter struct{}

// EstimateSize implements cost.Estimator.
func (smallLetter) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	p := n.Path()
	switch {
	case len(p) == 0:
		return nil
	case n.Type().IsExactType(cel.StringType):
		return &cost.SizeEstimate{Min: 0, Max: smallString}
	case len(p) == 1 && (p[0] == fieldTags || p[0] == fieldAddressees):
		return &cost.SizeEstimate{Min: 0, Max: smallList}
	}
	return nil
}

// EstimateCallCost implements cost.Estimator: the standard costs hold.
func (smallLetter) EstimateCallCost(string, string, *cost.AstNode, []cost.AstNode) *cost.CallEstimate {
	return nil
}

// celIssue is a problem in a condition; line 0 when CEL gives no position.
type celIssue struct {
	line, col int
	msg       string
}

// holds evaluates the condition.
func (c *condition) holds(act *activation) (bool, error) {
	prg := c.tracked
	if act.small && c.untracked != nil {
		prg = c.untracked
	}
	out, _, err := prg.Eval(act)
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, errors.New("the condition did not yield a bool")
	}
	return bool(b), nil
}

// activation gives conditions the facts of one letter; a field left empty in Facts is the
// empty string, the empty list or 0.
type activation struct {
	f                *Facts
	tags, addressees ref.Val
	small            bool // see smallLetter
}

func newActivation(f *Facts) *activation {
	small := true
	for _, s := range []string{f.Class, f.Subject, f.Office, f.Reference, f.MediaType, f.Author} {
		small = small && len(s) <= smallString
	}
	for _, l := range [][]string{f.Tags, f.Addressees} {
		small = small && len(l) <= smallList
		for _, s := range l {
			small = small && len(s) <= smallString
		}
	}
	return &activation{f: f, small: small,
		tags:       types.NewStringList(types.DefaultTypeAdapter, f.Tags),
		addressees: types.NewStringList(types.DefaultTypeAdapter, f.Addressees)}
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case fieldClass:
		return types.String(a.f.Class), true
	case fieldTags:
		return a.tags, true
	case fieldAddressees:
		return a.addressees, true
	case fieldSubject:
		return types.String(a.f.Subject), true
	case fieldOffice:
		return types.String(a.f.Office), true
	case fieldReference:
		return types.String(a.f.Reference), true
	case fieldMediaType:
		return types.String(a.f.MediaType), true
	case fieldSize:
		return types.Int(a.f.Size), true
	case fieldAuthor:
		return types.String(a.f.Author), true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }
