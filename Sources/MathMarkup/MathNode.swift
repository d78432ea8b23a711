import QuireCore

/// A parsed formula, one case per MathML Core element Quire writes.
indirect enum MathNode: Equatable, Sendable {
    /// `<mi>`: a variable or a function name. A single letter is italic unless `upright`.
    case identifier(String, upright: Bool)
    /// `<mn>`
    case number(String)
    /// `<mo>`: `stretchy` is nil to leave it to the browser's operator dictionary.
    case op(String, stretchy: Bool?)
    /// `<mtext>`
    case text(String)
    /// `<mspace>`, width in em.
    case space(String)
    case row([MathNode])
    case scripts(base: MathNode, sub: MathNode?, sup: MathNode?)
    /// `<mfrac>`; without a line for binomial coefficients.
    case fraction(MathNode, MathNode, line: Bool)
    case root(MathNode, index: MathNode?)
    /// A mark over (or under) its base: `\hat{x}`, `\overline{AB}`.
    case accent(MathNode, mark: String, over: Bool, stretchy: Bool)

    static let empty = MathNode.row([])
}

extension MathNode {
    /// The node as MathML markup.
    var markup: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .identifier(let name, let upright):
            let normal = upright && name.unicodeScalars.count == 1 ? " mathvariant=\"normal\"" : ""
            out += "<mi\(normal)>\(HTML.escape(name))</mi>"
        case .number(let digits):
            out += "<mn>\(HTML.escape(digits))</mn>"
        case .op(let symbol, let stretchy):
            let attribute = stretchy.map { " stretchy=\"\($0)\"" } ?? ""
            out += "<mo\(attribute)>\(HTML.escape(symbol))</mo>"
        case .text(let text):
            out += "<mtext>\(HTML.escape(text))</mtext>"
        case .space(let width):
            out += "<mspace width=\"\(width)em\"></mspace>"
        case .row(let children):
            if children.count == 1, let only = children.first {
                only.write(into: &out)
            } else {
                out += "<mrow>"
                for child in children { child.write(into: &out) }
                out += "</mrow>"
            }
        case .scripts(let base, let sub, let sup):
            let tag = switch (sub, sup) {
            case (.some, .some): "msubsup"
            case (.some, nil): "msub"
            default: "msup"
            }
            out += "<\(tag)>"
            base.write(into: &out)
            sub?.write(into: &out)
            sup?.write(into: &out)
            out += "</\(tag)>"
        case .fraction(let numerator, let denominator, let line):
            out += line ? "<mfrac>" : "<mfrac linethickness=\"0\">"
            numerator.write(into: &out)
            denominator.write(into: &out)
            out += "</mfrac>"
        case .root(let radicand, nil):
            out += "<msqrt>"
            radicand.write(into: &out)
            out += "</msqrt>"
        case .root(let radicand, let index?):
            out += "<mroot>"
            radicand.write(into: &out)
            index.write(into: &out)
            out += "</mroot>"
        case .accent(let base, let mark, let over, let stretchy):
            out += over ? "<mover accent=\"true\">" : "<munder accentunder=\"true\">"
            base.write(into: &out)
            out += "<mo stretchy=\"\(stretchy)\">\(HTML.escape(mark))</mo>"
            out += over ? "</mover>" : "</munder>"
        }
    }
}

/// Formulas as `<math>` elements.
enum MathML {
    /// The MathML for a formula, or nil when any part of it is not understood.
    /// The TeX source rides along as an annotation, which browsers do not show
    /// but which copy tools and screen readers can use.
    static func element(for formula: Formula) -> String? {
        guard let node = try? TeXParser.parse(formula.tex) else { return nil }
        let display = formula.display ? " display=\"block\"" : ""
        return "<math\(display)><semantics>\(node.markupAsRow)"
            + "<annotation encoding=\"application/x-tex\">\(HTML.escape(formula.tex))</annotation></semantics></math>"
    }
}

private extension MathNode {
    /// `<semantics>` shows only its first child, so the formula is exactly one `<mrow>`.
    var markupAsRow: String {
        guard case .row(let children) = self else { return "<mrow>\(markup)</mrow>" }
        return "<mrow>" + children.map(\.markup).joined() + "</mrow>"
    }
}
