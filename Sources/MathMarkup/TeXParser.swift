/// Reads the TeX of one formula into a `MathNode`, or fails.
///
/// It covers what arXiv abstracts use: sub- and superscripts, fractions,
/// roots, Greek, the common operators, relations and arrows, accents,
/// `\left…\right`, alphabets (`\mathcal`, `{\bf v}`), text and spacing. It
/// fails on anything else (an unknown command is usually the author's own
/// macro, whose meaning only their paper knows), and the formula is then
/// shown as written. Nesting is bounded, so no input recurses without end.
struct TeXParser {
    enum Failure: Error, Equatable {
        case unknownCommand(String)
        case unbalanced
        case tooDeep
        case unsupported(String)
    }

    static let maximumDepth = 32

    static func parse(_ tex: String) throws(Failure) -> MathNode {
        var parser = TeXParser(tex)
        return .row(try parser.row(until: .end, font: nil, depth: 0))
    }

    private enum Closer { case end, brace, bracket, right }

    private let s: [Unicode.Scalar]
    private var i = 0

    private init(_ tex: String) { s = Array(tex.unicodeScalars) }

    private var current: Unicode.Scalar? { i < s.count ? s[i] : nil }

    // MARK: Rows

    /// Items up to the closer (consumed, except `\right`, which its caller reads).
    private mutating func row(until closer: Closer, font initialFont: MathFont?, depth: Int) throws(Failure) -> [MathNode] {
        guard depth < Self.maximumDepth else { throw .tooDeep }
        var items: [MathNode] = []
        var font = initialFont
        while true {
            skipSpaces()
            guard let c = current else {
                if closer == .end { return items }
                throw .unbalanced
            }
            switch c {
            case "}":
                guard closer == .brace else { throw .unbalanced }
                i += 1
                return items
            case "]" where closer == .bracket:
                i += 1
                return items
            case "^", "_", "'":
                let base = items.popLast() ?? .empty
                items.append(try attachScript(to: base, font: font, depth: depth))
            case "\\" where lookingAt(command: "right"):
                guard closer == .right else { throw .unbalanced }
                return items
            case "\\":
                if let name = peekCommandName(), let newFont = TeXSymbols.fontSwitches[name] {
                    i += name.unicodeScalars.count + 1
                    font = newFont
                } else if let node = try atom(font: font, depth: depth) {
                    items.append(node)
                }
            default:
                if let node = try atom(font: font, depth: depth) { items.append(node) }
            }
        }
    }

    /// `x_1`, `x^2`, `x_1^2`, `y'`: the scripts after a base.
    private mutating func attachScript(to base: MathNode, font: MathFont?, depth: Int) throws(Failure) -> MathNode {
        var sub: MathNode?, sup: MathNode?
        var core = base
        if case .scripts(let b, let s1, let s2) = base { core = b; sub = s1; sup = s2 }
        guard let marker = current else { throw .unbalanced }
        i += 1
        switch marker {
        case "'":
            var primes = "′"
            while current == "'" { primes += "′"; i += 1 }
            guard sup == nil else { throw .unsupported("a prime after a superscript") }
            sup = .op(primes, stretchy: nil)
        case "^":
            guard sup == nil else { throw .unsupported("a double superscript") }
            sup = try scriptArgument(font: font, depth: depth)
        default:
            guard sub == nil else { throw .unsupported("a double subscript") }
            sub = try scriptArgument(font: font, depth: depth)
        }
        return .scripts(base: core, sub: sub, sup: sup)
    }

    /// One token or group, as TeX takes after `^` and `_` (`x^23` is x² then 3).
    private mutating func scriptArgument(font: MathFont?, depth: Int) throws(Failure) -> MathNode {
        skipSpaces()
        guard let c = current else { throw .unbalanced }
        if c.properties.numericType != nil, c.isASCII {
            i += 1
            return .number(font.map { $0.apply(to: c) } ?? String(c))
        }
        guard let node = try atom(font: font, depth: depth + 1) else { throw .unsupported("an empty script") }
        return node
    }

    /// A required argument: a group, or a single token.
    private mutating func argument(font: MathFont?, depth: Int) throws(Failure) -> MathNode {
        skipSpaces()
        guard current != nil, current != "}" else { throw .unbalanced }
        return try scriptArgument(font: font, depth: depth)
    }

    // MARK: Atoms

    /// The next item; nil for what takes no room (`\displaystyle`).
    private mutating func atom(font: MathFont?, depth: Int) throws(Failure) -> MathNode? {
        guard depth < Self.maximumDepth else { throw .tooDeep }
        guard let c = current else { throw .unbalanced }
        switch c {
        case "{":
            i += 1
            return .row(try row(until: .brace, font: font, depth: depth + 1))
        case "\\":
            return try command(font: font, depth: depth)
        case "&", "#", "%", "$":
            throw .unsupported(String(c))
        case "~":
            i += 1
            return .space("0.333")
        default:
            break
        }
        if c.properties.numericType != nil, c.isASCII {
            return .number(number(font: font))
        }
        i += 1
        if c.properties.isAlphabetic {
            return letter(c, font: font)
        }
        switch c {
        case "-": return .op("−", stretchy: nil)
        case "*": return .op("∗", stretchy: nil)
        case "(", ")", "[", "]", "|": return .op(String(c), stretchy: false)
        default: return .op(String(c), stretchy: nil)
        }
    }

    private func letter(_ c: Unicode.Scalar, font: MathFont?) -> MathNode {
        guard let font else { return .identifier(String(c), upright: false) }
        return .identifier(font.apply(to: c), upright: font == .roman)
    }

    /// Digits with at most one decimal point between digits: `3.14`, `10`.
    private mutating func number(font: MathFont?) -> String {
        var digits = ""
        while let c = current {
            let isDigit = c.isASCII && c.properties.numericType != nil
            let isPoint = c == "." && i + 1 < s.count && s[i + 1].isASCII && s[i + 1].properties.numericType != nil
                && !digits.contains(".")
            guard isDigit || isPoint else { break }
            digits += font.map { $0.apply(to: c) } ?? String(c)
            i += 1
        }
        return digits
    }

    // MARK: Commands

    private mutating func command(font: MathFont?, depth: Int) throws(Failure) -> MathNode? {
        i += 1  // the backslash
        guard let first = current else { throw .unbalanced }
        let name: String
        if first.isASCII, first.properties.isAlphabetic {
            var letters = ""
            while let c = current, c.isASCII, c.properties.isAlphabetic { letters.unicodeScalars.append(c); i += 1 }
            name = letters
        } else {
            i += 1
            name = String(first)
        }
        return try meaning(of: name, font: font, depth: depth)
    }

    private mutating func meaning(of name: String, font: MathFont?, depth: Int) throws(Failure) -> MathNode? {
        if let letter = TeXSymbols.identifiers[name] {
            // Greek in a bold alphabet has code points of its own; plain Greek is close enough.
            return .identifier(letter, upright: false)
        }
        if let symbol = TeXSymbols.uprightIdentifiers[name] { return .identifier(symbol, upright: true) }
        if let symbol = TeXSymbols.operators[name] {
            let isFence = ["⟨", "⟩", "⌊", "⌋", "⌈", "⌉", "|", "‖", "{", "}", "[", "]"].contains(symbol)
            return .op(symbol, stretchy: isFence ? false : nil)
        }
        if TeXSymbols.functions.contains(name) { return .identifier(name, upright: true) }
        if let width = TeXSymbols.spaces[name] { return .space(width) }
        if TeXSymbols.ignored.contains(name) { return nil }
        if let accent = TeXSymbols.accents[name] {
            let base = try argument(font: font, depth: depth + 1)
            return .accent(base, mark: accent.mark, over: accent.over, stretchy: accent.stretchy)
        }
        if let alphabet = TeXSymbols.fontCommands[name] {
            return try argument(font: alphabet, depth: depth + 1)
        }
        if TeXSymbols.textCommands.contains(name) { return .text(try rawGroup()) }
        switch name {
        case "{", "}", "%", "$", "&", "#", "_":
            return .op(name, stretchy: name == "{" || name == "}" ? false : nil)
        case "|":
            return .op("‖", stretchy: false)
        case "frac", "dfrac", "tfrac", "cfrac":
            let numerator = try argument(font: font, depth: depth + 1)
            return .fraction(numerator, try argument(font: font, depth: depth + 1), line: true)
        case "binom", "dbinom", "tbinom":
            let top = try argument(font: font, depth: depth + 1)
            let bottom = try argument(font: font, depth: depth + 1)
            return .row([.op("(", stretchy: true), .fraction(top, bottom, line: false), .op(")", stretchy: true)])
        case "sqrt":
            skipSpaces()
            var index: MathNode?
            if current == "[" {
                i += 1
                index = .row(try row(until: .bracket, font: font, depth: depth + 1))
            }
            return .root(try argument(font: font, depth: depth + 1), index: index)
        case "operatorname", "operatornamewithlimits":
            return .identifier(try rawGroup(), upright: true)
        case "not":
            guard case .op(let symbol, let stretchy)? = try atom(font: font, depth: depth + 1) else {
                throw .unsupported("\\not before something that is not a relation")
            }
            return .op(symbol + "\u{0338}", stretchy: stretchy)
        case "left":
            let open = try delimiter()
            let inner = try row(until: .right, font: font, depth: depth + 1)
            guard lookingAt(command: "right") else { throw .unbalanced }
            i += "\\right".unicodeScalars.count
            let close = try delimiter()
            return .row([open, .row(inner), close].filter { $0 != .empty })
        default:
            throw .unknownCommand(name)
        }
    }

    /// The delimiter after `\left` or `\right`; `.` is none.
    private mutating func delimiter() throws(Failure) -> MathNode {
        skipSpaces()
        guard let c = current else { throw .unbalanced }
        if c == "." { i += 1; return .empty }
        if c == "\\" {
            guard case .op(let symbol, _)? = try command(font: nil, depth: 0) else { throw .unsupported("a delimiter") }
            return .op(symbol, stretchy: true)
        }
        guard "()[]|/<>".unicodeScalars.contains(c) else { throw .unsupported("a delimiter") }
        i += 1
        let symbol = c == "<" ? "⟨" : c == ">" ? "⟩" : String(c)
        return .op(symbol, stretchy: true)
    }

    /// The characters of a `{…}` argument taken as they are (`\text{if }`),
    /// with TeX's escaped characters unescaped and nested braces kept balanced.
    private mutating func rawGroup() throws(Failure) -> String {
        skipSpaces()
        guard current == "{" else { throw .unsupported("a text argument without braces") }
        i += 1
        var text = ""
        var open = 1
        while let c = current {
            i += 1
            switch c {
            case "{":
                open += 1
            case "}":
                open -= 1
                if open == 0 { return text }
            case "\\":
                guard let escaped = current, "%$&#_{} ".unicodeScalars.contains(escaped) else {
                    throw .unsupported("a command inside text")
                }
                text.unicodeScalars.append(escaped)
                i += 1
            default:
                text.unicodeScalars.append(c)
            }
        }
        throw .unbalanced
    }

    // MARK: Scanning

    private mutating func skipSpaces() {
        while let c = current, c.properties.isWhitespace { i += 1 }
    }

    private func peekCommandName() -> String? {
        var j = i + 1
        var name = ""
        while j < s.count, s[j].isASCII, s[j].properties.isAlphabetic { name.unicodeScalars.append(s[j]); j += 1 }
        return name.isEmpty ? nil : name
    }

    private func lookingAt(command: String) -> Bool {
        peekCommandName() == command
    }
}
