/** The HCL syntax tree. Every node keeps its source range. */
import type { Range } from './diagnostics.js';
import type { NumberValue } from './numbers.js';
import type { Value } from './types.js';

export interface Body {
  readonly attributes: Attribute[];
  readonly blocks: Block[];
  readonly range: Range;
}

export interface Attribute {
  readonly name: string;
  readonly nameRange: Range;
  readonly expr: Expression;
  readonly range: Range;
}

export interface Label {
  readonly value: string;
  readonly range: Range;
}

export interface Block {
  readonly type: string;
  readonly typeRange: Range;
  readonly labels: Label[];
  readonly body: Body;
  readonly range: Range;
}

export type BinaryOperator =
  '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expression =
  | { readonly kind: 'literal'; readonly value: string | NumberValue | boolean | null; readonly range: Range }
  | {
      readonly kind: 'template';
      readonly parts: TemplatePart[];
      readonly range: Range;
      readonly heredoc: boolean;
    }
  | { readonly kind: 'tuple'; readonly items: Expression[]; readonly range: Range }
  /** A list or object folded into its value while reading (constant-collections.ts): an item of a folded list. */
  | { readonly kind: 'constant'; readonly value: Value; readonly range: Range }
  | { readonly kind: 'object'; readonly items: ObjectItem[]; readonly range: Range }
  | { readonly kind: 'variable'; readonly name: string; readonly range: Range }
  | { readonly kind: 'getattr'; readonly target: Expression; readonly name: string; readonly range: Range }
  | { readonly kind: 'index'; readonly target: Expression; readonly key: Expression; readonly range: Range }
  /** `list[*].x` (full) or `list.*.x` (attribute-only): `each` applies to every element through `splat-item`. */
  | {
      readonly kind: 'splat';
      readonly target: Expression;
      readonly each: Expression;
      readonly full: boolean;
      readonly range: Range;
    }
  | { readonly kind: 'splat-item'; readonly range: Range }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly nameRange: Range;
      readonly args: Expression[];
      readonly expandFinal: boolean;
      readonly range: Range;
    }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: Expression; readonly range: Range }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOperator;
      readonly left: Expression;
      readonly right: Expression;
      readonly range: Range;
    }
  | {
      readonly kind: 'conditional';
      readonly condition: Expression;
      readonly then: Expression;
      readonly otherwise: Expression;
      readonly range: Range;
    }
  | {
      readonly kind: 'for';
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: Expression;
      readonly keyExpr?: Expression;
      readonly valueExpr: Expression;
      readonly condition?: Expression;
      readonly group: boolean;
      readonly range: Range;
    }
  | { readonly kind: 'paren'; readonly expr: Expression; readonly range: Range };

export interface ObjectItem {
  readonly key: Expression;
  /** The key was a bare identifier (`a = 1`): a literal name, not a variable. */
  readonly bareKey: boolean;
  readonly value: Expression;
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly value: string; readonly range: Range }
  /** Its expression's range places it: millions of them in one string must not each keep one of their own. */
  | { readonly kind: 'interp'; readonly expr: Expression }
  | {
      readonly kind: 'if';
      readonly condition: Expression;
      readonly then: TemplatePart[];
      readonly otherwise: TemplatePart[];
      /** An %{else} was written (its branch may be empty). */
      readonly hasElse: boolean;
      readonly range: Range;
    }
  | {
      readonly kind: 'for';
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: Expression;
      readonly body: TemplatePart[];
      readonly range: Range;
    };
