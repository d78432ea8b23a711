/// A request refused, with the reason its reader is told. The stores raise
/// only what the data says (`.conflict`, `.notFound`); the rules of what
/// readers and admins may do (ReaderActions) raise every case. The web layer
/// answers each case with its own 4xx, in one place (`Refusal.httpStatus`).
public enum Refusal: Error, Equatable, CustomStringConvertible {
    /// Something unique already exists ("username", "email", a paper already listed).
    case conflict(String)
    case notFound(String)
    /// The user may not do this to this thing.
    case forbidden(String)
    /// A stated rule (a daily cap, an age limit) says no.
    case ruleBroken(String)
    /// The request itself makes no sense (a blank name, a reply to a reply).
    case invalid(String)

    public var description: String {
        switch self {
        case .conflict(let m), .notFound(let m), .forbidden(let m), .ruleBroken(let m), .invalid(let m): m
        }
    }
}
