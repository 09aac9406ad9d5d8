/**
 * The HCL native syntax parser: bodies, blocks, attributes and the full expression grammar (operators with HCL's
 * precedence, conditionals, calls with `...`, tuples, objects, for expressions, splats, index and attribute
 * access, templates with `${}`, `%{if}`/`%{for}` and `~` strip markers, heredocs). Errors are collected: after
 * one, the parser skips to the next line of the body and goes on.
 */
import type {
  Attribute,
  BinaryOperator,
  Block,
  Body,
  Expression,
  Label,
  ObjectItem,
  TemplatePart,
} from './ast.js';
import {
  DiagnosticError,
  error,
  rangeBetween,
  SourceSpan,
  type Diagnostic,
  type Range,
  type SourceLines,
} from './diagnostics.js';
import { foldedObject, TupleBuilder } from './constant-collections.js';
import { parseNumber } from './numbers.js';
import { formatScalar } from './types.js';
import { tokenReader, type Token } from './scanner.js';

export interface ParseResult {
  readonly body: Body;
  readonly diagnostics: Diagnostic[];
}

/** Each binary operator's precedence level, loosest first: `||`, `&&`, equality, comparison, sums, products. */
const BINARY_LEVEL: ReadonlyMap<string, number> = new Map<BinaryOperator, number>([
  ['||', 0],
  ['&&', 1],
  ['==', 2],
  ['!=', 2],
  ['<', 3],
  ['<=', 3],
  ['>', 3],
  ['>=', 3],
  ['+', 4],
  ['-', 4],
  ['*', 5],
  ['/', 5],
  ['%', 5],
]);
const BINARY_LEVELS = 6;

/**
 * With `keepTree: false` only the diagnostics matter (drover fmt): the body comes back empty, and no node outlives
 * its statement, so a 10 MB file is checked without holding its tree.
 */
export function parseHcl(source: string, file: string, options: { keepTree?: boolean } = {}): ParseResult {
  const parser = new Parser(new TokenWindow(tokenReader(source, file)), file, options.keepTree ?? true);
  try {
    return { body: parser.parseFile(), diagnostics: parser.diagnostics };
  } catch (caught) {
    if (!(caught instanceof ReadingStopped)) throw caught;
    const start = { line: 1, column: 1, offset: 0 };
    return {
      body: { attributes: [], blocks: [], range: { file, start, end: start } },
      diagnostics: [...parser.diagnostics, caught.diagnostic],
    };
  }
}

/**
 * The parser's view of the scanner: any token from a few behind the current one onwards, read as asked for;
 * those far behind are let go, so a parse holds the syntax tree and a window of tokens, not millions of tokens.
 */
class TokenWindow {
  private buffer: Token[] = [];
  /** The index in the file's tokens of buffer[0]. */
  private base = 0;

  constructor(private readonly next: () => Token) {}

  at(index: number): Token {
    // The parser steps back at most three tokens: 64 behind are kept, the rest dropped 4,096 at a time.
    if (index - this.base > 4096 + 64) {
      const drop = index - 64 - this.base;
      this.buffer = this.buffer.slice(drop);
      this.base += drop;
    }
    while (index - this.base >= this.buffer.length) this.buffer.push(this.next());
    return this.buffer[index - this.base]!;
  }
}

/**
 * An attribute as read, its ranges made from its name's offsets when asked for: a meta block of 400,000 keys
 * kept two ranges an attribute that only an error about it would show.
 */
abstract class ReadAttribute implements Attribute {
  readonly name: string;
  private readonly lines: SourceLines;
  readonly nameStart: number;
  private readonly nameEnd: number;
  abstract readonly expr: Expression;

  constructor(name: Token) {
    this.name = name.text;
    this.lines = name.lines;
    this.nameStart = name.start;
    this.nameEnd = name.end;
  }

  get nameRange(): SourceSpan {
    return new SourceSpan(this.lines, this.nameStart, this.nameEnd);
  }

  get range(): Range {
    return rangeBetween(this.nameRange, this.expr.range);
  }
}

class ExpressionAttribute extends ReadAttribute {
  constructor(
    name: Token,
    readonly expr: Expression,
  ) {
    super(name);
  }
}

/** `name = "text"`, most attributes of all: the text kept in the attribute, its literal made when asked for. */
class StringAttribute extends ReadAttribute {
  private readonly value: string;
  private readonly valueLines: SourceLines;
  private readonly valueStart: number;
  private readonly valueEnd: number;

  constructor(name: Token, literal: StringLiteral) {
    super(name);
    this.value = literal.value;
    this.valueLines = literal.lines;
    this.valueStart = literal.start;
    this.valueEnd = literal.end;
  }

  get expr(): Expression {
    return new StringLiteral(this.value, this.valueLines, this.valueStart, this.valueEnd);
  }
}

/** A plain quoted string's literal (HCL keeps string text in NFC). */
const stringLiteral = (token: Token) =>
  new StringLiteral(toNfc(token.text), token.lines, token.start, token.end);

/** A quoted string read as its text, its range made from its quotes' offsets when asked for. */
class StringLiteral {
  readonly kind = 'literal';

  constructor(
    readonly value: string,
    readonly lines: SourceLines,
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): SourceSpan {
    return new SourceSpan(this.lines, this.start, this.end);
  }
}

/** Nesting past MAX_NESTING (recovering line by line would meet it again on every line) or too many errors end the parse. */
class ReadingStopped extends DiagnosticError {}

/** Past this many, the errors of a file say nothing more, and 800,000 of them took seconds to print. */
export const MAX_SYNTAX_ERRORS = 1000;

/** Parses one expression on its own (variable values given on the command line, as Nomad does for complex types). */
export function parseExpression(
  source: string,
  file: string,
): { expr?: Expression; diagnostics: Diagnostic[] } {
  const parser = new Parser(new TokenWindow(tokenReader(source, file)), file);
  try {
    const expr = parser.parseStandaloneExpression();
    return { expr, diagnostics: parser.diagnostics };
  } catch (caught) {
    if (caught instanceof DiagnosticError) return { diagnostics: [...parser.diagnostics, caught.diagnostic] };
    throw caught;
  }
}

/**
 * How deep expressions, blocks, operator chains and traversals may nest. Nomad (Go, whose stacks grow) has no
 * such bound, but no job file comes near it, and past it a JavaScript stack would overflow somewhere in
 * parsing, evaluating or decoding: a positioned error instead.
 */
export const MAX_NESTING = 256;

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private index = 0;
  private depth = 0;
  /** Whether newlines are significant in the current context (bodies and objects: yes; parens, tuples: no). */
  private readonly newlines: boolean[] = [true];

  constructor(
    private readonly tokens: TokenWindow,
    private readonly file: string,
    private readonly keepTree = true,
  ) {}

  parseFile(): Body {
    const body = this.parseBody(undefined);
    return body;
  }

  parseStandaloneExpression(): Expression {
    this.newlines.push(false);
    const expr = this.parseExpression();
    const rest = this.peek();
    if (rest.type !== 'eof')
      this.fail(
        rest.range,
        'Extra characters after expression',
        'An expression was read, then more text followed it.',
      );
    return expr;
  }

  // --- tokens ----------------------------------------------------------------------------------------------

  private peek(): Token {
    if (!this.newlines[this.newlines.length - 1])
      while (this.tokens.at(this.index)!.type === 'newline') this.index++;
    return this.tokens.at(this.index)!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  private isPunct(text: string, token = this.peek()): boolean {
    return token.type === 'punct' && token.text === text;
  }

  private expectPunct(text: string, context: string): Token {
    const token = this.peek();
    if (!this.isPunct(text, token))
      this.fail(token.range, `Missing "${text}"`, `Expected "${text}" ${context}, found ${describe(token)}.`);
    return this.next();
  }

  /** Keeps a syntax error; past MAX_SYNTAX_ERRORS, reading stops there. */
  private record(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
    if (this.diagnostics.length >= MAX_SYNTAX_ERRORS)
      throw new ReadingStopped(
        error(
          diagnostic.range,
          'Too many errors',
          `Reading stopped after ${MAX_SYNTAX_ERRORS.toLocaleString('en-US')} syntax errors: fix these first (is this a job file?).`,
        ),
      );
  }

  private fail(range: Range, summary: string, detail?: string): never {
    if (this.peek().type === 'invalid') {
      const bad = this.peek();
      throw new DiagnosticError(error(bad.range, bad.problem ?? 'Invalid character'));
    }
    throw new DiagnosticError(error(range, summary, detail));
  }

  /*
   * Nesting and newline significance are entered and left around each construct without closures or finally
   * blocks (the reader's hottest path); after an error, parseBody's recovery restores both.
   */

  /**
   * One level deeper, refused past MAX_NESTING at `at` (`extra`: levels a loop adds, such as a chain of
   * operators). A token, not its range: a range is made only for the error.
   */
  private enter(at: Token, extra = 0): void {
    this.checkDepth(at, extra + 1);
    this.depth++;
  }

  private leave(): void {
    this.depth--;
  }

  private checkDepth(at: Token, extra: number): void {
    if (this.depth + extra > MAX_NESTING)
      throw new ReadingStopped(
        error(
          at.range,
          'Nested too deeply',
          `Expressions and blocks may nest ${MAX_NESTING} levels deep (brackets, parentheses, calls, blocks, templates and their %{ if } and %{ for } directives, chains of operators or of [index] and .attribute); this goes deeper. Split it with locals.`,
        ),
      );
  }

  /** Whether line breaks end what is being read (bodies, objects, templates) or are blanks (parens, lists). */
  private newlinesMatter(significant: boolean): void {
    this.newlines.push(significant);
  }

  private restoreNewlines(): void {
    this.newlines.pop();
  }

  // --- bodies ----------------------------------------------------------------------------------------------

  private parseBody(close: Token | undefined): Body {
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    const start = this.peek().range;
    // Where each name was first set: offsets, not nodes, so that drover fmt (keepTree: false) holds no tree.
    const seen = new Map<string, number>();
    for (;;) {
      const token = this.peek();
      if (token.type === 'newline') {
        this.next();
        continue;
      }
      if (token.type === 'eof') {
        if (close)
          this.diagnostics.push(error(close.range, 'Unclosed block', 'This "{" has no matching "}".'));
        break;
      }
      if (close && this.isPunct('}', token)) break;
      const depth = this.depth;
      const contexts = this.newlines.length;
      try {
        const item = this.parseBodyItem();
        if ('expr' in item) {
          const previous = seen.get(item.name);
          if (previous !== undefined)
            this.record(
              error(
                item.nameRange,
                `Attribute redefined: "${item.name}"`,
                `"${item.name}" was already set at line ${item.nameRange.sibling(previous, previous).start.line}; each attribute may be set once.`,
              ),
            );
          seen.set(item.name, item.nameStart);
          if (this.keepTree) attributes.push(item);
        } else if (this.keepTree) blocks.push(item);
      } catch (caught) {
        if (!(caught instanceof DiagnosticError) || caught instanceof ReadingStopped) throw caught;
        this.depth = depth;
        this.newlines.length = contexts;
        this.record(caught.diagnostic);
        this.recoverToLineEnd();
      }
    }
    const end = this.peek().range;
    return { attributes: fitted(attributes), blocks: fitted(blocks), range: rangeBetween(start, end) };
  }

  /** After an error, skip to the end of the line, stepping over bracketed parts and whole templates. */
  private recoverToLineEnd(): void {
    let depth = 0;
    this.newlines.push(true);
    try {
      for (;;) {
        const token = this.tokens.at(this.index)!;
        if (token.type === 'eof') return;
        if (depth === 0 && token.type === 'newline') return;
        if (depth === 0 && this.isPunct('}', token) && this.newlines.length > 2) return;
        if (token.type === 'punct' && ['{', '[', '('].includes(token.text)) depth++;
        if (token.type === 'punct' && ['}', ']', ')'].includes(token.text)) depth = Math.max(0, depth - 1);
        this.index++;
      }
    } finally {
      this.newlines.pop();
    }
  }

  private parseBodyItem(): ReadAttribute | Block {
    const name = this.next();
    if (name.type !== 'ident')
      this.fail(
        name.range,
        'Argument or block definition required',
        `Expected an attribute name or a block type, found ${describe(name)}.`,
      );
    if (this.isPunct('=')) {
      this.next();
      const string = this.lineString();
      const attribute = string
        ? new StringAttribute(name, string)
        : new ExpressionAttribute(name, this.parseExpression());
      this.expectLineEnd('an attribute');
      return attribute;
    }
    const labels: Label[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type === 'ident') {
        this.next();
        labels.push({ value: token.text, range: token.range });
      } else if (token.type === 'string') {
        this.next();
        labels.push({ value: token.text, range: token.range });
      } else if (token.type === 'oquote') labels.push(this.parseLabel());
      else break;
    }
    const open = this.peek();
    if (!this.isPunct('{', open)) {
      if (this.isPunct(':', open) || this.isPunct('=>', open))
        this.fail(open.range, 'Missing "="', `An attribute is written \`${name.text} = value\`.`);
      this.fail(
        open.range,
        'Invalid block definition',
        `Expected "=" for an attribute or "{" to open the "${name.text}" block, found ${describe(open)}.`,
      );
    }
    this.next();
    let body: Body;
    if (this.tokens.at(this.index)!.type === 'newline' || this.isPunct('}')) {
      this.enter(open);
      body = this.parseBody(open);
      this.leave();
    } else body = this.parseSingleLineBody(open);
    const close = this.peek();
    if (!this.isPunct('}', close))
      return {
        type: name.text,
        typeRange: name.range,
        labels: fitted(labels),
        body,
        range: rangeBetween(name.range, close.range),
      };
    this.next();
    this.expectLineEnd('a block');
    return {
      type: name.text,
      typeRange: name.range,
      labels: fitted(labels),
      body,
      range: rangeBetween(name.range, close.range),
    };
  }

  /** `name { attr = value }`: one attribute, closed on the same line. */
  private parseSingleLineBody(open: Token): Body {
    const name = this.next();
    if (name.type !== 'ident' || !this.isPunct('='))
      this.fail(
        name.range,
        'Invalid single-argument block definition',
        'A block on one line can hold only one attribute; put nested blocks on their own lines.',
      );
    this.next();
    const expr = this.parseExpression();
    const close = this.peek();
    if (!this.isPunct('}', close))
      this.fail(
        close.range,
        'Invalid single-argument block definition',
        'A block whose attribute starts on the same line as "{" must be closed on that line; put the "}" right after the attribute or move the attribute to its own line.',
      );
    const attribute: Attribute = {
      name: name.text,
      nameRange: name.range,
      expr,
      range: rangeBetween(name.range, expr.range),
    };
    return { attributes: [attribute], blocks: [], range: rangeBetween(open.range, close.range) };
  }

  private parseLabel(): Label {
    const open = this.next();
    let value = '';
    let end = open.range;
    for (;;) {
      const token = this.next();
      end = token.range;
      if (token.type === 'cquote') break;
      if (token.type === 'strlit') value += decodeQuoted(token, this.diagnostics);
      else if (token.type === 'interp' || token.type === 'control')
        this.fail(
          token.range,
          'Invalid block label',
          'Block labels are plain strings: they cannot contain ${} or %{} templates.',
        );
      else this.fail(token.range, 'Unterminated block label', 'A quoted label needs a closing ".');
    }
    return { value, range: rangeBetween(open.range, end) };
  }

  private expectLineEnd(what: string): void {
    const token = this.tokens.at(this.index)!;
    if (token.type === 'newline') {
      this.index++;
      return;
    }
    if (token.type === 'eof' || this.isPunct('}', token)) return;
    this.fail(
      token.range,
      'Missing newline after ' + what,
      `Each attribute and block ends with a line break; found ${describe(token)}.`,
    );
  }

  // --- expressions -----------------------------------------------------------------------------------------

  parseExpression(): Expression {
    this.enter(this.peek());
    const expr = this.parseConditional();
    this.leave();
    return expr;
  }

  private parseConditional(): Expression {
    const condition = this.parseBinary(0);
    if (!this.isPunct('?')) return condition;
    this.next();
    const then = this.parseExpression();
    this.expectPunct(':', 'between the two results of a conditional (cond ? a : b)');
    const otherwise = this.parseExpression();
    return {
      kind: 'conditional',
      condition,
      then,
      otherwise,
      range: rangeBetween(condition.range, otherwise.range),
    };
  }

  private parseBinary(level: number): Expression {
    if (level >= BINARY_LEVELS) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (let chained = 1; ; chained++) {
      const token = this.peek();
      if (token.type !== 'punct' || BINARY_LEVEL.get(token.text) !== level) return left;
      const op = token.text as BinaryOperator;
      this.next();
      // Each operator of a chain nests the tree one level deeper: ((a + b) + c) + d.
      this.enter(token, chained);
      const right = this.parseBinary(level + 1);
      this.leave();
      left = { kind: 'binary', op, left, right, range: rangeBetween(left.range, right.range) };
    }
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (this.isPunct('!', token) || this.isPunct('-', token)) {
      this.next();
      this.enter(token);
      const operand = this.parseUnary();
      this.leave();
      return {
        kind: 'unary',
        op: token.text as '!' | '-',
        operand,
        range: rangeBetween(token.range, operand.range),
      };
    }
    return this.parseTraversals(this.parseTerm(), false);
  }

  private parseTraversals(base: Expression, inSplat: boolean): Expression {
    let expr = base;
    for (let chained = 0; ; chained++) {
      const token = this.tokens.at(this.index)!;
      if (chained > 0 && (this.isPunct('.', token) || this.isPunct('[', token)))
        this.checkDepth(token, chained + 1);
      if (this.isPunct('.', token)) {
        this.next();
        const after = this.next();
        if (after.type === 'ident')
          expr = {
            kind: 'getattr',
            target: expr,
            name: after.text,
            range: rangeBetween(expr.range, after.range),
          };
        else if (after.type === 'number' && /^\d+$/.test(after.text))
          expr = {
            kind: 'index',
            target: expr,
            key: { kind: 'literal', value: Number(after.text), range: after.range },
            range: rangeBetween(expr.range, after.range),
          };
        else if (this.isPunct('*', after)) {
          if (inSplat) return expr;
          const each = this.parseSplatEach(after.range, true);
          expr = {
            kind: 'splat',
            target: expr,
            each,
            full: false,
            range: rangeBetween(expr.range, each.range),
          };
        } else
          this.fail(
            after.range,
            'Invalid attribute name',
            `Expected an attribute name after ".", found ${describe(after)}.`,
          );
      } else if (this.isPunct('[', token)) {
        this.next();
        if (this.isPunct('*')) {
          const star = this.next();
          const close = this.expectPunct(']', 'to close the splat [*]');
          if (inSplat) {
            this.index -= 3;
            return expr;
          }
          const each = this.parseSplatEach(rangeBetween(star.range, close.range), false);
          expr = {
            kind: 'splat',
            target: expr,
            each,
            full: true,
            range: rangeBetween(expr.range, each.range),
          };
        } else {
          const key = this.parseExpression();
          this.newlinesMatter(false);
          const close = this.expectPunct(']', 'to close the index');
          this.restoreNewlines();
          expr = { kind: 'index', target: expr, key, range: rangeBetween(expr.range, close.range) };
        }
      } else return expr;
    }
  }

  /** The traversal applied to each element after `[*]` (any traversal) or `.*` (attributes only). */
  private parseSplatEach(range: Range, attributesOnly: boolean): Expression {
    const item: Expression = { kind: 'splat-item', range };
    if (!attributesOnly) return this.parseTraversals(item, true);
    let expr: Expression = item;
    while (
      this.isPunct('.', this.tokens.at(this.index)!) &&
      this.tokens.at(this.index + 1)?.type === 'ident'
    ) {
      this.next();
      const name = this.next();
      expr = { kind: 'getattr', target: expr, name: name.text, range: rangeBetween(expr.range, name.range) };
    }
    return expr;
  }

  private numberLiteral(token: Token): Expression {
    const value = parseNumber(token.text);
    if (value === undefined)
      throw new DiagnosticError(
        error(token.range, 'Invalid number literal', 'Failed to recognize the value of this number literal.'),
      );
    return { kind: 'literal', value, range: token.range };
  }

  private parseTerm(): Expression {
    const token = this.peek();
    switch (token.type) {
      case 'number':
        this.next();
        return this.numberLiteral(token);
      case 'ident': {
        this.next();
        if (token.text === 'true' || token.text === 'false')
          return { kind: 'literal', value: token.text === 'true', range: token.range };
        if (token.text === 'null') return { kind: 'literal', value: null, range: token.range };
        const following = this.tokens.at(this.index)!;
        if (this.isPunct('(', following) || this.isPunct('::', following)) return this.parseCall(token);
        return { kind: 'variable', name: token.text, range: token.range };
      }
      case 'string':
        this.next();
        return stringLiteral(token);
      case 'oquote':
        return this.parseTemplate(this.next(), 'cquote');
      case 'oheredoc':
        return this.parseTemplate(this.next(), 'cheredoc');
      case 'punct':
        if (token.text === '(') {
          this.next();
          this.newlinesMatter(false);
          const expr = this.parseExpression();
          const close = this.expectPunct(')', 'to close the parenthesis');
          this.restoreNewlines();
          return { kind: 'paren', expr, range: rangeBetween(token.range, close.range) };
        }
        if (token.text === '[') return this.parseTuple();
        if (token.text === '{') return this.parseObject();
        break;
      case 'invalid':
        this.fail(token.range, token.problem ?? 'Invalid character');
    }
    this.fail(
      token.range,
      'Invalid expression',
      `Expected the start of an expression, found ${describe(token)}.`,
    );
  }

  /** A call, its name possibly namespaced (`provider::x::f(…)`, which HCL reads and no Nomad function has). */
  private parseCall(first: Token): Expression {
    let name = first.text;
    let last = first;
    while (this.isPunct('::', this.tokens.at(this.index)!)) {
      this.index++;
      const segment = this.tokens.at(this.index)!;
      if (segment.type !== 'ident')
        this.fail(
          segment.range,
          'Missing function name',
          'Function scope resolution symbol :: must be followed by a function name in this scope.',
        );
      this.index++;
      name += `::${segment.text}`;
      last = segment;
    }
    const open = this.tokens.at(this.index)!;
    if (!this.isPunct('(', open))
      this.fail(
        open.range,
        'Missing open parenthesis',
        'Function selector must be followed by an open parenthesis to begin the function call.',
      );
    const nameRange = rangeBetween(first.range, last.range);
    this.next();
    this.newlinesMatter(false);
    const args: Expression[] = [];
    let expandFinal = false;
    while (!this.isPunct(')')) {
      args.push(this.parseExpression());
      if (this.isPunct('...')) {
        this.next();
        expandFinal = true;
        if (!this.isPunct(')'))
          this.fail(
            this.peek().range,
            'Missing ")"',
            'The "..." expansion applies only to the last argument.',
          );
        break;
      }
      this.itemSeparator(')', 'Function arguments');
    }
    const close = this.next();
    this.restoreNewlines();
    return {
      kind: 'call',
      name,
      nameRange,
      args: fitted(args),
      expandFinal,
      range: rangeBetween(first.range, close.range),
    };
  }

  /** After an item of a comma-separated list: a comma, or the closing bracket next. */
  private itemSeparator(close: string, items: string): void {
    if (this.isPunct(',')) this.next();
    else if (!this.isPunct(close))
      this.fail(
        this.peek().range,
        `Missing "," or "${close}"`,
        `${items} are separated by commas; found ${describe(this.peek())}.`,
      );
  }

  private parseTuple(): Expression {
    const open = this.next();
    this.newlinesMatter(false);
    let tuple: Expression;
    if (this.peek().type === 'ident' && this.peek().text === 'for') tuple = this.parseFor(open, ']');
    else {
      const items = new TupleBuilder();
      while (!this.isPunct(']')) {
        if (this.peek().type === 'eof')
          this.fail(open.range, 'Unclosed "["', 'This list has no closing "]".');
        items.add(this.parseExpression());
        this.itemSeparator(']', 'List items');
      }
      const close = this.next();
      tuple = items.build(rangeBetween(open.range, close.range));
    }
    this.restoreNewlines();
    return tuple;
  }

  private parseObject(): Expression {
    const open = this.next();
    this.newlinesMatter(false);
    if (this.peek().type === 'ident' && this.peek().text === 'for') {
      const expr = this.parseFor(open, '}');
      this.restoreNewlines();
      return expr;
    }
    this.restoreNewlines();
    this.newlinesMatter(true);
    const items: ObjectItem[] = [];
    for (;;) {
      while (this.peek().type === 'newline') this.next();
      if (this.isPunct('}')) break;
      if (this.peek().type === 'eof')
        this.fail(open.range, 'Unclosed "{"', 'This object has no closing "}".');
      const keyToken = this.peek();
      const key = this.parseExpression();
      const bareKey = key.kind === 'variable' && keyToken.type === 'ident';
      const separator = this.peek();
      if (!this.isPunct('=', separator) && !this.isPunct(':', separator))
        this.fail(
          separator.range,
          'Missing key/value separator',
          `Expected "=" or ":" after the object key, found ${describe(separator)}.`,
        );
      this.next();
      const value = this.parseExpression();
      items.push({ key, bareKey, value });
      const after = this.tokens.at(this.index)!;
      if (this.isPunct(',', after) || after.type === 'newline') this.next();
      else if (!this.isPunct('}', after))
        this.fail(
          after.range,
          'Missing attribute separator',
          `Object items are separated by a comma or a line break; found ${describe(after)}.`,
        );
    }
    const close = this.next();
    this.restoreNewlines();
    const range = rangeBetween(open.range, close.range);
    return foldedObject(fitted(items), range) ?? { kind: 'object', items: fitted(items), range };
  }

  private parseFor(open: Token, close: ']' | '}'): Expression {
    this.next(); // for
    const first = this.next();
    if (first.type !== 'ident')
      this.fail(first.range, 'Invalid for expression', 'Expected a variable name after "for".');
    let keyVar: string | undefined;
    let valueVar = first.text;
    if (this.isPunct(',')) {
      this.next();
      const second = this.next();
      if (second.type !== 'ident')
        this.fail(second.range, 'Invalid for expression', 'Expected a second variable name after ",".');
      keyVar = first.text;
      valueVar = second.text;
    }
    const inToken = this.next();
    if (inToken.type !== 'ident' || inToken.text !== 'in')
      this.fail(inToken.range, 'Invalid for expression', 'Expected "in" after the for variables.');
    const collection = this.parseExpression();
    this.expectPunct(':', 'after the collection of a for expression');
    let keyExpr: Expression | undefined;
    let valueExpr = this.parseExpression();
    let group = false;
    if (close === '}') {
      keyExpr = valueExpr;
      this.expectPunct('=>', 'between the key and the value of an object for expression');
      valueExpr = this.parseExpression();
      if (this.isPunct('...')) {
        this.next();
        group = true;
      }
    }
    let condition: Expression | undefined;
    if (this.peek().type === 'ident' && this.peek().text === 'if') {
      this.next();
      condition = this.parseExpression();
    }
    const end = this.expectPunct(close, `to close the for expression`);
    return {
      kind: 'for',
      keyVar,
      valueVar,
      collection,
      keyExpr,
      valueExpr,
      condition,
      group,
      range: rangeBetween(open.range, end.range),
    };
  }

  // --- templates -------------------------------------------------------------------------------------------

  /**
   * An attribute's value that is a plain string and all of its line (`a = "x"`), the most common attribute of all,
   * read without climbing the grammar of operators: what parseExpression would make of it.
   */
  private lineString(): StringLiteral | undefined {
    const token = this.tokens.at(this.index);
    if (token.type !== 'string') return undefined;
    const after = this.tokens.at(this.index + 1);
    if (after.type !== 'newline' && after.type !== 'eof' && !this.isPunct('}', after)) return undefined;
    this.checkDepth(token, 1);
    this.index++;
    return stringLiteral(token);
  }

  private parseTemplate(open: Token, end: 'cquote' | 'cheredoc'): Expression {
    const heredoc = end === 'cheredoc';
    this.newlinesMatter(true);
    const { parts, close } = this.parseTemplateParts(open, end, heredoc, []);
    this.restoreNewlines();
    const range = rangeBetween(open.range, close.range);
    // A plain quoted string is most of a file's values: as a literal it takes a third of a template's memory.
    if (!heredoc && parts.length <= 1 && (parts[0]?.kind ?? 'text') === 'text')
      return { kind: 'literal', value: parts[0]?.kind === 'text' ? parts[0].value : '', range };
    const flushed = heredoc && open.heredoc?.flush ? flushHeredoc(parts) : parts;
    return { kind: 'template', parts: flushed, heredoc, range };
  }

  /** Parts up to the closing token, or (inside a directive) up to one of the `stops` keywords. */
  private parseTemplateParts(
    open: Token,
    end: 'cquote' | 'cheredoc',
    heredoc: boolean,
    stops: readonly string[],
    stripFirst = false,
  ): { parts: TemplatePart[]; close: Token; stop?: string } {
    const parts: TemplatePart[] = [];
    let run: ConstantRun | undefined;
    // Heredocs keep their parts as written: flushing their indentation reads where each line's text starts.
    const add = (part: TemplatePart) => {
      const text = heredoc ? undefined : constantText(part);
      if (text === undefined) {
        endRun();
        parts.push(part);
      } else if (run) run.add(part, text);
      else run = new ConstantRun(part, text);
    };
    const endRun = () => {
      if (run) parts.push(run.part());
      run = undefined;
    };
    let stripNext = stripFirst;
    const stripPrevious = () => {
      if (run) return run.stripEnd();
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') parts[parts.length - 1] = { ...last, value: last.value.replace(/\s+$/, '') };
    };
    for (;;) {
      const token = this.tokens.at(this.index)!;
      if (token.type === end) {
        this.index++;
        if (stops.length > 0)
          this.fail(
            token.range,
            'Unclosed template directive',
            `Expected %{${stops.join('} or %{')}} before the end of the template.`,
          );
        endRun();
        return { parts: fitted(parts), close: token };
      }
      if (token.type === 'strlit') {
        this.index++;
        let value = toNfc(heredoc ? decodeHeredoc(token.text) : decodeQuoted(token, this.diagnostics));
        if (stripNext) value = value.replace(/^\s+/, '');
        stripNext = false;
        add({ kind: 'text', value, range: token.range });
        continue;
      }
      if (token.type === 'interp') {
        this.index++;
        if (token.strip) stripPrevious();
        this.newlinesMatter(false);
        const expr = this.parseExpression();
        this.restoreNewlines();
        const seal = this.expectSeal();
        stripNext = Boolean(seal.strip);
        add({ kind: 'interp', expr });
        continue;
      }
      if (token.type === 'control') {
        this.index++;
        if (token.strip) stripPrevious();
        endRun();
        this.newlinesMatter(false);
        const keyword = this.next();
        this.restoreNewlines();
        if (keyword.type === 'ident' && stops.includes(keyword.text)) {
          const seal = this.expectSeal();
          return { parts: fitted(parts), close: seal, stop: keyword.text };
        }
        if (keyword.type === 'ident' && keyword.text === 'if') {
          this.newlinesMatter(false);
          const condition = this.parseExpression();
          this.restoreNewlines();
          const opened = this.expectSeal();
          // A directive nests as a block does: counted against MAX_NESTING.
          this.enter(keyword);
          const then = this.parseTemplateParts(open, end, heredoc, ['else', 'endif'], Boolean(opened.strip));
          let otherwise: TemplatePart[] = [];
          let last = then.close;
          if (then.stop === 'else') {
            const rest = this.parseTemplateParts(open, end, heredoc, ['endif'], Boolean(then.close.strip));
            otherwise = rest.parts;
            last = rest.close;
          }
          this.leave();
          parts.push({
            kind: 'if',
            condition,
            then: then.parts,
            otherwise,
            hasElse: then.stop === 'else',
            range: rangeBetween(token.range, last.range),
          });
          stripNext = Boolean(last.strip);
          continue;
        }
        if (keyword.type === 'ident' && keyword.text === 'for') {
          this.newlinesMatter(false);
          const first = this.next();
          let keyVar: string | undefined;
          let valueVar = first.text;
          if (this.isPunct(',')) {
            this.next();
            keyVar = first.text;
            valueVar = this.next().text;
          }
          const inToken = this.next();
          if (first.type !== 'ident' || inToken.text !== 'in')
            this.fail(inToken.range, 'Invalid template for directive', 'Expected %{ for x in collection }.');
          const collection = this.parseExpression();
          this.restoreNewlines();
          const opened = this.expectSeal();
          this.enter(keyword);
          const body = this.parseTemplateParts(open, end, heredoc, ['endfor'], Boolean(opened.strip));
          this.leave();
          parts.push({
            kind: 'for',
            keyVar,
            valueVar,
            collection,
            body: body.parts,
            range: rangeBetween(token.range, body.close.range),
          });
          stripNext = Boolean(body.close.strip);
          continue;
        }
        this.fail(
          keyword.range,
          'Invalid template directive',
          `Expected if, for${stops.length ? `, ${stops.join(', ')}` : ''} after %{, found ${describe(keyword)}.`,
        );
      }
      if (token.type === 'eof' || token.type === 'invalid') {
        this.index++;
        this.fail(
          token.range,
          token.problem ?? (heredoc ? 'Unterminated heredoc' : 'Unterminated template string'),
        );
      }
      this.fail(token.range, 'Invalid template', `Unexpected ${describe(token)} in a template.`);
    }
  }

  private expectSeal(): Token {
    this.newlinesMatter(false);
    const token = this.peek();
    this.restoreNewlines();
    if (token.type !== 'seal')
      this.fail(
        token.range,
        'Missing "}"',
        `Expected "}" to close the template sequence, found ${describe(token)}.`,
      );
    this.index++;
    return token;
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'the end of the file';
    case 'newline':
      return 'a line break';
    case 'string':
    case 'oquote':
      return 'a quoted string';
    case 'oheredoc':
      return 'a heredoc';
    case 'invalid':
      return token.problem ?? 'an invalid character';
    default:
      return `"${token.text}"`;
  }
}

/**
 * Constant pieces of a template in a row (its text, and interpolated strings, bools and small numbers) joined into
 * one text part as evaluation would join them: `"${1}"` written two million times in one string made a 330 MB syntax
 * tree. A run of one piece keeps its part, so a lone interpolation keeps its value's type (`"${1}"` is 1).
 */
class ConstantRun {
  private readonly texts: string[];
  private lastIsText: boolean;
  private last: Range;

  constructor(
    private readonly first: TemplatePart,
    text: string,
  ) {
    this.texts = [text];
    this.lastIsText = first.kind === 'text';
    this.last = partRange(first);
  }

  add(part: TemplatePart, text: string): void {
    this.texts.push(text);
    this.lastIsText = part.kind === 'text';
    this.last = partRange(part);
  }

  /** A `~` strips the blanks that end the literal text before it, never those of an interpolated value. */
  stripEnd(): void {
    if (this.lastIsText) this.texts[this.texts.length - 1] = this.texts.at(-1)!.replace(/\s+$/, '');
  }

  part(): TemplatePart {
    if (this.texts.length === 1)
      return this.first.kind === 'text' ? { ...this.first, value: this.texts[0]! } : this.first;
    return {
      kind: 'text',
      value: this.texts.join(''),
      range: rangeBetween(partRange(this.first), this.last),
    };
  }
}

function partRange(part: TemplatePart): Range {
  return part.kind === 'interp' ? part.expr.range : part.range;
}

/** The text a part adds whatever the variables: literal text, or an interpolated string, bool or small number. */
function constantText(part: TemplatePart): string | undefined {
  if (part.kind === 'text') return part.value;
  if (part.kind !== 'interp' || part.expr.kind !== 'literal') return undefined;
  const { value } = part.expr;
  if (typeof value === 'string') return value;
  // A big number is left to evaluation, which refuses one too long to print at its place.
  if (typeof value === 'boolean' || typeof value === 'number') return formatScalar(value);
  return undefined;
}

/**
 * The items in an array of their own size: an array grown by push keeps room for 16 more, and a 10 MB file's
 * syntax tree holds hundreds of thousands of one-item arrays.
 */
function fitted<T>(items: T[]): T[] {
  return items.length === 0 ? [] : items.slice();
}

/** Whether quoted text holds an escape: a backslash, `$${` or `%%{`. */
const hasEscape = (raw: string) => raw.includes('\\') || raw.includes('$${') || raw.includes('%%{');

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Quoted-string escapes: \n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ / %%{ for a literal ${ / %{. */
function decodeQuoted(token: Token, diagnostics: Diagnostic[]): string {
  const raw = token.text;
  if (!hasEscape(raw)) return raw;
  let out = '';
  const at = (i: number, length: number): Range => token.range.part(i, length);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (raw.startsWith('$${', i) || raw.startsWith('%%{', i)) {
      out += `${c}{`;
      i += 2;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[i + 1];
    if (e !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) {
      out += SIMPLE_ESCAPES[e];
      i++;
    } else if (e === 'u' || e === 'U') {
      const digits = e === 'u' ? 4 : 8;
      const hex = raw.slice(i + 2, i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
        diagnostics.push(
          error(
            at(i, 2 + digits),
            'Invalid escape sequence',
            `\\${e} must be followed by ${digits} hexadecimal digits.`,
          ),
        );
        i++;
        continue;
      }
      const codePoint = parseInt(hex, 16);
      // Go's utf8.RuneLen: past U+10FFFF, and the surrogate halves, have no UTF-8 form.
      if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
        diagnostics.push(
          error(
            at(i, 2 + digits),
            'Invalid escape sequence',
            `Cannot encode character U+${codePoint.toString(16).padStart(4, '0')} in UTF-8.`,
          ),
        );
      else out += String.fromCodePoint(codePoint);
      i += 1 + digits;
    } else {
      diagnostics.push(
        error(
          at(i, 2),
          'Invalid escape sequence',
          `"\\${e ?? ''}" is not an escape HCL knows: use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN.`,
        ),
      );
      i++;
    }
  }
  return out;
}

/** Heredocs keep backslashes as they are; only $${ and %%{ are escapes. */
function decodeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/**
 * `<<-EOT`, as HCL does it: over the template's tokens in order (heredoc literals come one line per token, strip
 * markers already applied), find the smallest indentation among line-leading tokens (a line that starts with an
 * interpolation or directive counts as zero; a blank line does not count) and remove it from each of them.
 */
function flushHeredoc(parts: TemplatePart[]): TemplatePart[] {
  type Text = Extract<TemplatePart, { kind: 'text' }>;
  const leading: Text[] = [];
  let min = Infinity;
  let newline = true;
  const visitToken = (text: Text | undefined) => {
    if (newline) {
      newline = false;
      if (text) {
        const trimmed = text.value.trimStart();
        if (!(trimmed === '' && text.value.endsWith('\n'))) {
          min = Math.min(min, [...text.value.slice(0, text.value.length - trimmed.length)].length);
          leading.push(text);
        }
      } else min = 0;
    }
    if (text?.value.endsWith('\n')) newline = true;
  };
  const walk = (list: readonly TemplatePart[]) => {
    for (const part of list) {
      if (part.kind === 'text') visitToken(part);
      else if (part.kind === 'interp') visitToken(undefined);
      else if (part.kind === 'if') {
        visitToken(undefined);
        walk(part.then);
        if (part.hasElse) visitToken(undefined);
        walk(part.otherwise);
        visitToken(undefined);
      } else {
        visitToken(undefined);
        walk(part.body);
        visitToken(undefined);
      }
    }
  };
  walk(parts);
  if (!Number.isFinite(min) || min === 0) return parts;
  const adjust = new Set<TemplatePart>(leading);
  const rewrite = (list: readonly TemplatePart[]): TemplatePart[] =>
    list.map((part) => {
      if (part.kind === 'text')
        return adjust.has(part) ? { ...part, value: [...part.value].slice(min).join('') } : part;
      if (part.kind === 'if')
        return { ...part, then: rewrite(part.then), otherwise: rewrite(part.otherwise) };
      if (part.kind === 'for') return { ...part, body: rewrite(part.body) };
      return part;
    });
  return rewrite(parts);
}

/**
 * HCL normalizes the text of string literals to Unicode NFC, as Nomad then sees it. Text below U+0300 is already
 * NFC (composition needs a combining mark or a later character), so most literals skip the ICU call.
 */
function toNfc(text: string): string {
  return /[\u0300-\uffff]/.test(text) ? text.normalize('NFC') : text;
}
