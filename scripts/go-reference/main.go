// Prints Go's answers (regexp.ReplaceAllString, strings.Replace: what go-cty's regex_replace and replace call)
// for the cases on stdin, one JSON object per line; test/fixtures/go/regexp.json holds them for regexp-cases.jsonl:
//   go run . < regexp-cases.jsonl
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
