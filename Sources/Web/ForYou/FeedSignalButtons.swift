import Foundation
import QuireCore
import ReaderActions
import Storage

/// The feed's buttons under a paper's entry: "More like this", "Not
/// interested", "Mark as read", each a one-button form back to the page, at
/// the entry (`anchor`: its id) when given, so the page does not jump to the top.
enum FeedSignalButtons {
    /// The three, for signed-in readers, on any list and the paper page,
    /// each showing its state (`marked`: the signals on): "Not interested ✓"
    /// with "Undo" once set. They update in place as one box (`InPlace`:
    /// "Not interested" takes "More like this" back), and without
    /// JavaScript post and come back to the entry.
    static func all(_ paperID: String, marked: Set<FeedSignalKind> = [], anchor: String? = nil) -> String {
        guard Viewer.current.user != nil else { return "" }
        let back = anchor ?? PaperListView.anchor(paperID)
        let parts = [FeedSignalKind.moreLikeThis, .notInterested, .read].map { kind in
            guard marked.contains(kind) else { return button(kind, paperID: paperID, anchor: back, inPlace: true) }
            return "<span class=\"feed-state feed-\(kind.rawValue)-on\">\(stateLabel(kind))</span>"
                + undoButton(kind, paperID: paperID, anchor: back)
        }
        return "<span class=\"feed-buttons\" data-in-place-box>\(parts.joined())</span>"
    }

    /// What a signal that is on says on the page.
    static func stateLabel(_ kind: FeedSignalKind) -> String {
        switch kind {
        case .moreLikeThis: "More like this ✓"
        case .notInterested: "Not interested ✓"
        case .read: "Read ✓"
        case .mine: "Mine ✓"
        case .excluded: "Not used ✓"
        case .opened: "Opened ✓"
        }
    }

    /// "Undo" beside a signal that is on (in place, as the buttons).
    static func undoButton(_ kind: FeedSignalKind, paperID: String, anchor: String?) -> String {
        Forms.post("/feed-signal", button: "Undo",
                   fields: ["paper": paperID, "kind": kind.rawValue, "on": "0", "back": Viewer.current.path + (anchor.map { "#" + $0 } ?? "")],
                   style: "feed-undo feed-\(kind.rawValue)-undo", title: "Take back “\(stateLabel(kind).dropLast(2))”", inPlace: true)
    }

    static func button(_ kind: FeedSignalKind, paperID: String, on: Bool = true, anchor: String? = nil, inPlace: Bool = false) -> String {
        let (label, title) = switch (kind, on) {
        case (.moreLikeThis, true): ("More like this", "Show me more papers like this one")
        case (.notInterested, true): ("Not interested", "Never show this paper in my feed, and fewer like it")
        case (.read, true): ("Mark as read", "Hide it from my feed; it stays in my reading history")
        case (.moreLikeThis, false): ("Undo “more like this”", "It stops counting for my feed")
        case (.notInterested, false): ("Undo “not interested”", "It may be picked again")
        case (.read, false): ("Mark as unread", "It may be picked again")
        case (.mine, true): ("Mine", "I wrote this paper: a strong positive for my feed")
        case (.mine, false): ("Not mine", "It stops counting as my own paper")
        case (.excluded, true): ("Don’t use this", "Stop using this paper for my picks and their reasons")
        case (.excluded, false): ("Use it again", "It counts for my picks again")
        case (.opened, true): ("Opened", "Note that I opened it")
        case (.opened, false): ("Forget", "Forget that I opened it")
        }
        return form(kind, paperID: paperID, on: on, anchor: anchor, label: label, title: title, inPlace: inPlace)
    }

    /// "Don't use “A”" after a pick's reason, for each paper it names.
    static func notUsing(_ because: [ForYouFeed.Because], anchor: String) -> String {
        because.map { item in
            " " + form(.excluded, paperID: item.paperID, on: true, anchor: anchor,
                       label: "don’t use “\(ForYouFeed.Pick.shortened(item.title, limit: 24))”",
                       title: "Stop using “\(item.title)” for my picks and their reasons (my upvotes, collections and own papers keep it)", style: "link reason-exclude")
        }.joined()
    }

    private static func form(_ kind: FeedSignalKind, paperID: String, on: Bool, anchor: String?, label: String, title: String,
                             style: String? = nil, inPlace: Bool = false) -> String {
        Forms.post("/feed-signal", button: label,
                   fields: ["paper": paperID, "kind": kind.rawValue, "on": on ? "1" : "0",
                            "back": Viewer.current.path + (anchor.map { "#" + $0 } ?? "")],
                   style: style ?? "feed-\(kind.rawValue)", title: title, inPlace: inPlace)
    }

    /// A list entry with the feed's buttons beside "Save", and the reason
    /// above them, followed by `reasonControls` (the reason's "don't use" buttons).
    static func entry(_ paper: Paper, kinds: [FeedSignalKind], reason: String? = nil, reasonControls: String = "") -> String {
        // The controls' forms cannot sit inside the <p>: a <form> closes it.
        PaperListView.entry(paper, lead: reason.map {
            "<p class=\"reason\">\(esc($0))</p>" + (reasonControls.isEmpty ? "" : "<div class=\"reason-controls\">\(reasonControls)</div>")
        } ?? "",
                            moreActions: kinds.map { button($0, paperID: paper.id, anchor: PaperListView.anchor(paper.id)) }.joined(),
                            feedButtons: false)
    }
}
