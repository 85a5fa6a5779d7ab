// Finds user-facing text written straight into console components instead of going through i18n: JSX text with
// letters, and string literals with letters given to the attributes people read (aria-label, title, placeholder, alt,
// label) or put into JSX as `{"…"}`. A line (or the line before it) marked `i18n-ignore` is exempt, for the rare text
// that is not language (a product name, a sample value).
import ts from "typescript";

export interface Literal {
  file: string;
  line: number;
  text: string;
}

const READ_ATTRIBUTES = new Set(["aria-label", "aria-description", "title", "placeholder", "alt", "label"]);
const hasWords = (text: string) => /\p{L}/u.test(text);

function insideJsx(node: ts.Node): boolean {
  for (let at = node.parent; at; at = at.parent) if (ts.isJsxAttribute(at)) return true;
  return false;
}

export function findLiterals(file: string, source: string): Literal[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const lines = source.split("\n");
  const found: Literal[] = [];
  const report = (node: ts.Node, text: string) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    if (/i18n-ignore/.test(lines[line] ?? "") || /i18n-ignore/.test(lines[line - 1] ?? "")) return;
    found.push({ file, line: line + 1, text: text.trim() });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    else if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(sf))) {
      const value = node.initializer;
      const literal =
        value && ts.isStringLiteral(value)
          ? value
          : value && ts.isJsxExpression(value) && value.expression && ts.isStringLiteralLike(value.expression)
            ? value.expression
            : undefined;
      if (literal && hasWords(literal.text)) report(node, literal.text);
    } else if (
      // input={{ placeholder: "…" }}: props handed on to an element
      ts.isPropertyAssignment(node) &&
      READ_ATTRIBUTES.has(node.name.getText(sf).replace(/^["']|["']$/g, "")) &&
      ts.isStringLiteralLike(node.initializer) &&
      hasWords(node.initializer.text) &&
      insideJsx(node)
    ) {
      report(node, node.initializer.text);
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      ts.isStringLiteralLike(node.expression) &&
      !ts.isJsxAttribute(node.parent) &&
      hasWords(node.expression.text)
    ) {
      report(node, node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
