// Prints Go's answers for the cases on stdin, one JSON object per line: regexp.ReplaceAllString, strings.Replace,
// strings.Title and encoding/json of a string (what go-cty's regex_replace, replace, title and jsonencode call).
// test/fixtures/go/functions.json holds them for cases.jsonl:   go run . < cases.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

type Case struct {
	Fn      string `json:"fn"`
	Str     string `json:"str"`
	Pattern string `json:"pattern"`
	Repl    string `json:"repl"`
}

type Answer struct {
	Case
	Result string `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	var answers []Answer
	for in.Scan() {
		var c Case
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			panic(err)
		}
		a := Answer{Case: c}
		if c.Fn == "replace" {
			a.Result = strings.Replace(c.Str, c.Pattern, c.Repl, -1)
		} else if c.Fn == "title" {
			a.Result = strings.Title(c.Str) //nolint:staticcheck // cty's title calls it
		} else if c.Fn == "jsonencode" {
			b, _ := json.Marshal(c.Str)
			a.Result = string(b)
		} else {
			re, err := regexp.Compile(c.Pattern)
			if err != nil {
				a.Error = err.Error()
			} else {
				a.Result = re.ReplaceAllString(c.Str, c.Repl)
			}
		}
		answers = append(answers, a)
	}
	out, _ := json.MarshalIndent(answers, "", "  ")
	fmt.Println(string(out))
}
