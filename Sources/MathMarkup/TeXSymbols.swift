/// What TeX's commands stand for, by kind. Only what arXiv abstracts use; a
/// command missing here makes its formula stay as source text.
enum TeXSymbols {
    /// Letters and letter-like symbols: `<mi>`, italic when a single Latin or lowercase Greek letter.
    static let identifiers: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ",
        "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ",
        "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "ell": "ℓ", "imath": "ı", "jmath": "ȷ", "wp": "℘",
    ]

    /// Symbols TeX sets upright: capital Greek, constants and other signs that are not operators.
    static let uprightIdentifiers: [String: String] = [
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
        "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "infty": "∞", "partial": "∂", "nabla": "∇", "hbar": "ℏ", "hslash": "ℏ", "emptyset": "∅",
        "varnothing": "∅", "aleph": "ℵ", "beth": "ℶ", "Re": "ℜ", "Im": "ℑ", "angle": "∠", "triangle": "△",
        "top": "⊤", "bot": "⊥", "forall": "∀", "exists": "∃", "nexists": "∄", "neg": "¬", "lnot": "¬",
        "prime": "′", "degree": "°", "dagger": "†", "ddagger": "‡", "S": "§", "P": "¶", "AA": "Å",
        "checkmark": "✓", "sharp": "♯", "flat": "♭", "natural": "♮", "Box": "□", "square": "□",
        "clubsuit": "♣", "heartsuit": "♡", "spadesuit": "♠", "diamondsuit": "♢", "mho": "℧", "complement": "∁",
        "backslash": "\\", "surd": "√", "varDelta": "𝛥", "varGamma": "𝛤", "varOmega": "𝛺",
    ]

    /// Operators, relations, arrows and delimiters: `<mo>`.
    static let operators: [String: String] = [
        "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "⋅", "ast": "∗", "star": "⋆", "circ": "∘",
        "bullet": "∙", "oplus": "⊕", "ominus": "⊖", "otimes": "⊗", "oslash": "⊘", "odot": "⊙", "wedge": "∧",
        "land": "∧", "vee": "∨", "lor": "∨", "cap": "∩", "cup": "∪", "sqcap": "⊓", "sqcup": "⊔", "uplus": "⊎",
        "setminus": "∖", "smallsetminus": "∖", "wr": "≀", "amalg": "⨿", "diamond": "⋄", "triangleleft": "◁",
        "triangleright": "▷", "ltimes": "⋉", "rtimes": "⋊", "dotplus": "∔",
        "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "leqslant": "⩽", "geqslant": "⩾", "neq": "≠", "ne": "≠",
        "ll": "≪", "gg": "≫", "lll": "⋘", "ggg": "⋙", "lesssim": "≲", "gtrsim": "≳", "lessapprox": "⪅",
        "gtrapprox": "⪆", "approx": "≈", "approxeq": "≊", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡",
        "propto": "∝", "asymp": "≍", "doteq": "≐", "triangleq": "≜", "coloneqq": "≔", "prec": "≺", "succ": "≻",
        "preceq": "⪯", "succeq": "⪰", "subset": "⊂", "supset": "⊃", "subseteq": "⊆", "supseteq": "⊇",
        "subsetneq": "⊊", "supsetneq": "⊋", "sqsubseteq": "⊑", "sqsupseteq": "⊒", "in": "∈", "notin": "∉",
        "ni": "∋", "owns": "∋", "mid": "∣", "nmid": "∤", "parallel": "∥", "nparallel": "∦", "perp": "⊥",
        "models": "⊨", "vdash": "⊢", "dashv": "⊣", "vDash": "⊨", "Vdash": "⊩", "smile": "⌣", "frown": "⌢",
        "lhd": "⊲", "rhd": "⊳", "unlhd": "⊴", "unrhd": "⊵", "nless": "≮", "ngtr": "≯", "nleq": "≰", "ngeq": "≱",
        "nsim": "≁", "ncong": "≇", "nsubseteq": "⊈", "nsupseteq": "⊉", "lessgtr": "≶", "gtrless": "≷",
        "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
        "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "impliedby": "⟸", "iff": "⟺", "mapsto": "↦",
        "longrightarrow": "⟶", "longleftarrow": "⟵", "longleftrightarrow": "⟷", "Longrightarrow": "⟹",
        "Longleftarrow": "⟸", "Longleftrightarrow": "⟺", "longmapsto": "⟼", "uparrow": "↑", "downarrow": "↓",
        "updownarrow": "↕", "Uparrow": "⇑", "Downarrow": "⇓", "nearrow": "↗", "searrow": "↘", "swarrow": "↙",
        "nwarrow": "↖", "hookrightarrow": "↪", "hookleftarrow": "↩", "rightleftharpoons": "⇌",
        "leftrightarrows": "⇆", "rightrightarrows": "⇉", "twoheadrightarrow": "↠", "rightsquigarrow": "⇝",
        "xrightarrow": "⟶", "leadsto": "⇝",
        "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "vert": "|",
        "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖", "lbrace": "{", "rbrace": "}",
        "lbrack": "[", "rbrack": "]",
        "ldots": "…", "dots": "…", "dotsc": "…", "dotsb": "⋯", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
        "colon": ":", "vartriangle": "△", "therefore": "∴", "because": "∵",
        "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮",
        "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂", "bigodot": "⨀", "biguplus": "⨄",
        "bigsqcup": "⨆", "bigvee": "⋁", "bigwedge": "⋀",
    ]

    /// Named functions, set upright as one identifier.
    static let functions: Set<String> = [
        "log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth",
        "arcsin", "arccos", "arctan", "max", "min", "sup", "inf", "lim", "liminf", "limsup", "arg", "det", "dim",
        "ker", "deg", "gcd", "hom", "Pr", "mod", "bmod", "argmax", "argmin", "tr", "Tr", "rank", "diag", "sgn",
    ]

    /// Marks over or under their argument.
    static let accents: [String: (mark: String, over: Bool, stretchy: Bool)] = [
        "hat": ("^", true, false), "widehat": ("^", true, true), "check": ("ˇ", true, false),
        "tilde": ("~", true, false), "widetilde": ("~", true, true), "bar": ("¯", true, false),
        "overline": ("¯", true, true), "vec": ("→", true, false), "overrightarrow": ("→", true, true),
        "overleftarrow": ("←", true, true), "dot": ("˙", true, false), "ddot": ("¨", true, false),
        "breve": ("˘", true, false), "acute": ("´", true, false), "grave": ("`", true, false),
        "mathring": ("˚", true, false), "underline": ("_", false, true), "underbrace": ("⏟", false, true),
        "overbrace": ("⏞", true, true),
    ]

    /// Commands that take one argument and set it in another alphabet.
    static let fontCommands: [String: MathFont] = [
        "mathbf": .bold, "mathrm": .roman, "mathit": .italic, "mathcal": .script, "mathscr": .script,
        "mathfrak": .fraktur, "mathbb": .doubleStruck, "mathsf": .sansSerif, "mathtt": .monospace,
        "boldsymbol": .boldItalic, "bm": .boldItalic, "mathbfit": .boldItalic, "pmb": .bold,
    ]

    /// Old-style switches (`{\bf v}`): the alphabet for the rest of the group.
    static let fontSwitches: [String: MathFont] = [
        "rm": .roman, "bf": .bold, "it": .italic, "cal": .script, "sf": .sansSerif, "tt": .monospace,
    ]

    /// Commands that take their argument as text.
    static let textCommands: Set<String> = ["text", "textrm", "textnormal", "textit", "textbf", "textsf", "texttt", "mbox", "hbox"]

    /// Horizontal space, in em.
    static let spaces: [String: String] = [
        ",": "0.167", ":": "0.222", ">": "0.222", ";": "0.278", " ": "0.25", "quad": "1", "qquad": "2",
        "enspace": "0.5", "thinspace": "0.167", "medspace": "0.222", "thickspace": "0.278",
    ]

    /// Commands that only change sizes or spacing rules: rendering ignores them.
    static let ignored: Set<String> = [
        "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
        "bigm", "Bigm", "limits", "nolimits", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle",
        "!", "negthinspace", "relax", "nonumber", "notag", "middle",
    ]
}
