import Foundation

/// The line a list shows when the reader's mutes hid some of its papers,
/// so a shorter list never passes for the whole one.
enum MutedNote {
    static func render(_ count: Int) -> String {
        guard count > 0 else { return "" }
        return "<p class=\"meta muted-note\">\(count) paper\(count == 1 ? "" : "s") on this page hidden by <a href=\"/for-you#mutes\">your mutes</a>.</p>"
    }
}
